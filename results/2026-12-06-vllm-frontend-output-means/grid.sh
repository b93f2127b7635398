cd /work/main
export KVSIM_DATA_DIR=/work/shared
for po in 0 25 50 75 100 150 200; do
  python3 -c "
import json,sys
d=json.load(open('experiments/data/vllm/overheads_prompts_step.json'))
d['overheads']['per_output']=$po*1e-6
d['overheads']['serial_intake']=True
json.dump(d,open('OUT/base_$po.json','w'),indent=1)"
  build-me/kvsim experiments/vllm_validation.lua --fit --fit-to ttft_mean --fit-terms request --fit-base OUT/base_$po.json --serial-intake --overheads OUT/req_$po.json > OUT/fit_$po.txt 2>&1
  echo "$po $(grep -m1 '^rms' OUT/fit_$po.txt) $(grep -m1 '^fitted' OUT/fit_$po.txt)"
done
