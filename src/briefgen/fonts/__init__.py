"""Turn font roles (仿宋, 黑体, 楷体, 宋体, 小标宋, Latin) into PDF-embeddable fonts and DOCX font names."""
