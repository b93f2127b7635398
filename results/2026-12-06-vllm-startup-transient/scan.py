"""Summarise one trial run of the start-up transient scan: the fitting subset's
rms errors (ITL mean, TTFT mean, TTFT p99 over its six stages, as
results/2026-12-06-vllm-layer-rate/subset_rms.py computes them) and the first
stage's TTFT at p95, p99, p99.9 and max, measured / predicted (error)."""
import csv, math, sys

out = sys.argv[1]
rms = {}
for m in ('itl_mean', 'ttft_mean', 'ttft_p99'):
    e = [float(r['err_fit']) for r in csv.DictReader(open(out + '/report.csv'))
         if r['split'] == 'fit' and r['level'] != 'all' and r['metric'] == m]
    rms[m] = math.sqrt(sum(x * x for x in e) / len(e))
line = ' '.join('%s %.2f' % kv for kv in rms.items())
line += ' sum sq %.1f' % sum(v * v for v in rms.values())
ladder = []
for r in csv.DictReader(open(out + '/ladder.csv')):
    if r['split'] == 'fit' and r['metric'] == 'ttft' and r['level'] == 's0' \
            and r['quantile'] in ('p95', 'p99', 'p99.9', 'max'):
        model = r['run'].split('-', 2)[2].split('-tp')[0]
        ladder.append('%s %s %.0f/%.0f (%+.0f%%)' % (model, r['quantile'], float(r['measured']) * 1e3,
                                                     float(r['fit']) * 1e3, float(r['err_fit'])))
print(line)
print('   ' + ' | '.join(ladder))
