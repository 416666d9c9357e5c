"""xlbase: spreadsheet-native toolkit for 双创基地 (innovation-base) applications.

The pipeline runs one way: form model -> templates; read -> rules -> merge -> check -> summary / reports / mark; commands/ on top (ARCHITECTURE.md).
"""

__version__ = "0.1.0"
