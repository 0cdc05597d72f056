"""Reads the server's Prometheus metrics (the URL in argv[1]) and prints the HTTP responses by route and status class,
and fails when no route that needs a token answered 2xx more than a few times."""

import collections
import re
import sys
import urllib.request

counts = collections.defaultdict(collections.Counter)
pattern = re.compile(r'^kandid_http_requests_total\{(?P<labels>.*)\} (?P<value>[0-9.e+]+)$')
with urllib.request.urlopen(sys.argv[1], timeout=30) as res:
    text = res.read().decode()
for line in text.splitlines():
    m = pattern.match(line.strip())
    if not m:
        continue
    labels = dict(re.findall(r'(\w+)="([^"]*)"', m["labels"]))
    route = f'{labels.get("method", "")} {labels.get("route", "?")}'.strip()
    counts[route][labels.get("status", "?")[0] + "xx"] += int(float(m["value"]))

total = collections.Counter()
print(f'{"route":55} {"2xx":>6} {"4xx":>6} {"5xx":>6}')
for route in sorted(counts):
    c = counts[route]
    total.update(c)
    print(f'{route:55} {c["2xx"]:>6} {c["4xx"]:>6} {c["5xx"]:>6}')
print(f'{"all":55} {total["2xx"]:>6} {total["4xx"]:>6} {total["5xx"]:>6}')
if total["5xx"]:
    sys.exit("the server answered 5xx")
# The run is signed in and seeded: these must have got past auth and 404 at least once.
reached = ["GET /api/campaigns", "POST /api/campaigns", "GET /api/campaigns/{id}", "PATCH /api/campaigns/{id}",
           "GET /api/leads/{id}", "PATCH /api/leads/{id}", "POST /api/campaigns/{id}/leads/import",
           "GET /api/dashboard", "GET /api/events"]
missed = [r for r in reached if not counts[r]["2xx"]]
if missed:
    sys.exit(f"never answered 2xx: {', '.join(missed)}")
