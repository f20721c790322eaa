"""One module per tab of the page, each with a render() that builds the tab's widgets and wires them to the
shared pieces in ui/ and to style_core. No tab imports another, and only ui/page.py imports a tab."""
