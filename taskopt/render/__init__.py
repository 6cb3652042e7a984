"""Stage 6b (plan -> pictures): Mermaid flowcharts and gantt charts, and the Markdown that holds them."""
