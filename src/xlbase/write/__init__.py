"""Everything xlbase writes: templates, 汇总表, reports, marked copies."""
