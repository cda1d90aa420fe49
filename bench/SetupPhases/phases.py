#!/usr/bin/env python3
"""Snapshot / diff the set-up phase histograms of the Gateway and Routers (Prometheus text on management ports).
usage: phases.py snap OUT.json  |  phases.py diff BEFORE.json AFTER.json
The services' endpoints: $SETUP_PHASES_ENDPOINTS (AppHost's endpoints.json)."""
import json, os, re, sys, urllib.request
LINE = re.compile(r'^(voiceplatform_(?:gateway_realtime|router_sessions)_setup_duration_milliseconds)_(bucket|sum|count)\{([^}]*)\} (\S+)')
def snap():
    endpoints = json.load(open(os.environ.get('SETUP_PHASES_ENDPOINTS', '/tmp/setup-phases-state/endpoints.json')))['management']
    out = {}
    for svc in ('gateway', 'router-1', 'router-2'):
        text = urllib.request.urlopen(endpoints[svc] + '/metrics').read().decode()
        for line in text.splitlines():
            m = LINE.match(line)
            if not m: continue
            name, kind, labels, value = m.groups()
            lab = dict(re.findall(r'(\w+)="([^"]*)"', labels))
            if lab.get('resumed') == 'true': continue
            key = ('gateway' if 'gateway' in name else 'router') + ':' + lab['phase']
            d = out.setdefault(key, {'buckets': {}, 'sum': 0.0, 'count': 0.0})
            if kind == 'bucket': d['buckets'][lab['le']] = d['buckets'].get(lab['le'], 0) + float(value)
            elif kind == 'sum': d['sum'] += float(value)
            else: d['count'] += float(value)
    return out
def quantile(buckets, q, count):
    prev_le, prev_c = 0.0, 0.0
    for le, c in sorted(((float('inf') if k == '+Inf' else float(k)), v) for k, v in buckets.items()):
        if c >= q * count:
            if le == float('inf'): return f'>{prev_le:g}'
            frac = (q * count - prev_c) / (c - prev_c) if c > prev_c else 1
            return f'{prev_le + (le - prev_le) * frac:.1f}'
        prev_le, prev_c = le, c
if sys.argv[1] == 'snap':
    json.dump(snap(), open(sys.argv[2], 'w'))
else:
    a, b = json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
    order = ['authenticate', 'admit', 'upgrade', 'prepare', 'router', 'resume_token', 'deliver', 'total', 'state', 'provider', 'tools']
    print(f"{'phase':24} {'n':>5} {'mean':>7} {'p50':>7} {'p90':>7} {'p99':>7}")
    for key in sorted(b, key=lambda k: (k.split(':')[0] != 'gateway', order.index(k.split(':')[1]))):
        x, y = a.get(key, {'buckets': {}, 'sum': 0, 'count': 0}), b[key]
        n = y['count'] - x['count']
        if n <= 0: continue
        bk = {k: v - x['buckets'].get(k, 0) for k, v in y['buckets'].items()}
        print(f"{key:24} {n:5.0f} {(y['sum'] - x['sum']) / n:7.2f} {quantile(bk, .5, n):>7} {quantile(bk, .9, n):>7} {quantile(bk, .99, n):>7}")
