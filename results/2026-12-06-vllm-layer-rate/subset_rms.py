import csv, math, sys
def rms(path):
    out = {}
    for m in ('itl_mean', 'ttft_mean', 'ttft_p99'):
        e = [float(r['err_fit']) for r in csv.DictReader(open(path))
             if r['split'] == 'fit' and r['level'] != 'all' and r['metric'] == m]
        out[m] = math.sqrt(sum(x * x for x in e) / len(e))
    return out
for p in sys.argv[1:]:
    o = rms(p)
    print(p, ' '.join('%s %.2f' % kv for kv in o.items()), 'sum sq %.1f' % sum(v * v for v in o.values()))
