"""The blank and pre-filled templates (附件2/3/4/10 and the 附件11 汇总表), and the sheet styles and print setup
the other outputs (summary/, reports/, mark/) share."""
