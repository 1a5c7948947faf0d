# Control charts and histograms through the API (POST /api/v1/reports/spc
# and /api/v1/reports/histogram): limits as docs/spc.md computes them, the
# signals of every rule set at their exact points, the same limits whatever
# rules are chosen, the deck's shape and advice, every kind of bad input
# refused with a 400 naming the field, and only supervisors and admins in.
. "$(dirname "$0")/../lib.sh"

start_server
ADMIN=$(login admin admin123)
SUP=$(login sup sup123)
AGENT=$(login 1001 secret1001)
http POST /api/v1/users '{"username":"exec1","password":"password-exec1","role":"executive"}' "$ADMIN" >/dev/null
expect_status 201 "user exec1"
EXEC=$(login exec1 password-exec1)

# spc BODY: posts a chart as the supervisor, expects 200.
spc() {
	http POST /api/v1/reports/spc "$1" "$SUP" >/dev/null
	expect_status 200 "chart $1"
}
# sigs: the signals of the last answer as rule:points|…
sigs() { jbody '"|".join(s["rule"] + ":" + ",".join(map(str, s["points"])) for s in j["signals"])'; }

# --- XmR: centre = mean, σ = MR̄/1.128; the deck's rules at their points
spc '{"chart":"xmr","values":[1,3,2,4,5]}'
[ "$(jbody '[round(j[k], 6) for k in ("center", "sigma", "ucl", "lcl")]')" = \
  "[3.0, 1.329787, 6.989362, -0.989362]" ] || fail "xmr limits: $HTTP_BODY"
[ "$(jbody '[round(j["mr"][k], 6) for k in ("center", "ucl", "lcl")]')" = \
  "[1.5, 4.9005, 0.0]" ] || fail "mr limits: $HTTP_BODY"
[ "$(sigs)" = "" ] || fail "xmr signals: $HTTP_BODY"
SERIES='[0.1, 0.5, 0.2, 0.4, 0.3, 1.2, 1.3, 2.2, 2.6, -3.3]'
spc "{\"chart\":\"xmr\",\"values\":$SERIES,\"center\":0,\"sigma\":1}"
[ "$(sigs)" = "8:0,1,2,3,4,5,6,7,8|1:9|3:7,8|5:5,6,7,8" ] || fail "deck: $HTTP_BODY"
LIMITS=$(jbody '(j["center"], j["ucl"], j["lcl"])')
spc "{\"chart\":\"xmr\",\"values\":$SERIES,\"center\":0,\"sigma\":1,\"rules\":\"western-electric\"}"
[ "$(sigs)" = "1:9|2:7,8|3:5,6,7,8|4:0,1,2,3,4,5,6,7,8" ] || fail "western electric: $HTTP_BODY"
[ "$(jbody '(j["center"], j["ucl"], j["lcl"])')" = "$LIMITS" ] || fail "limits moved with the rules"
spc "{\"chart\":\"xmr\",\"values\":$SERIES,\"center\":0,\"sigma\":1,\"rules\":\"nelson\"}"
[ "$(sigs)" = "1:9|2:0,1,2,3,4,5,6,7,8|5:7,8|6:5,6,7,8" ] || fail "nelson: $HTTP_BODY"
[ "$(jbody '(j["center"], j["ucl"], j["lcl"])')" = "$LIMITS" ] || fail "limits moved with the rules"
spc '{"chart":"xmr","values":[0.9, 0.6, 0.2, -0.1, -0.3, -0.8, 0.1],"center":0,"sigma":1}'
[ "$(sigs)" = "6:0,1,2,3,4,5" ] || fail "deck 6: $HTTP_BODY"
# a baseline: the limits of the first five points, the sixth far out
spc '{"chart":"xmr","values":[1,3,2,4,5,40],"baseline":[0,5]}'
[ "$(jbody 'round(j["center"], 6)')" = 3.0 ] || fail "baseline centre: $HTTP_BODY"
[ "$(sigs)" = "1:5" ] || fail "baseline signal: $HTTP_BODY"
ok "XmR: limits from the moving range, each rule set at its points, limits unmoved by the rules"

# --- p: per-point limits from each n, LCL floored at 0
spc '{"chart":"p","values":[5,10,5],"n":[100,200,50]}'
[ "$(jbody '[round(x, 6) for x in [j["center"]] + j["limits"]["ucl"] + j["limits"]["lcl"]]')" = \
  "[0.057143, 0.126777, 0.106382, 0.155621, 0.0, 0.007904, 0.0]" ] || fail "p limits: $HTTP_BODY"
spc '{"chart":"p","values":[0.05,0.05,0.1],"n":[100,200,50]}'
[ "$(jbody 'round(j["center"], 6)')" = 0.057143 ] || fail "p from proportions: $HTTP_BODY"
ok "p-chart: p̄ from counts or proportions, limits per sample size"

# --- X̄-R: subgroups, A2 and D4 from the table
spc '{"chart":"xbar-r","values":[[1,2,3],[2,3,4],[3,4,5]]}'
[ "$(jbody '[round(x, 3) for x in (j["center"], j["ucl"], j["r"]["center"], j["r"]["ucl"])]')" = \
  "[3.0, 5.046, 2.0, 5.148]" ] || fail "xbar-r: $HTTP_BODY"
ok "X̄-R: X̿ ± A2·R̄, R up to D4·R̄"

# --- histogram: bins, mean, sd, the deck's shape and advice
VALUES=$(python3 -c 'import random; r = random.Random(17); print([round(r.gauss(200, 30) if i % 2 else r.gauss(400, 30), 1) for i in range(600)])')
http POST /api/v1/reports/histogram "{\"values\":$VALUES}" "$SUP" >/dev/null
expect_status 200 "histogram"
[ "$(jbody '(j["shape"], j["shape_zh"], j["advice"])')" = "('bimodal', '双峰型', '分类统计后再制作直方图。')" ] ||
	fail "bimodal: $HTTP_BODY"
[ "$(jbody 'sum(b["count"] for b in j["bins"])')" = 600 ] || fail "counts: $HTTP_BODY"
[ "$(jbody 'abs(j["mean"] - 300) < 10 and abs(j["sd"] - 104) < 10')" = True ] || fail "moments: $HTTP_BODY"
http POST /api/v1/reports/histogram '{"values":[0,1,2,3,4,5,6,7,8,9,0,1,2,3,4,5,6,7,8,9,0,1,2,3,4,5,6,7,8,9,0,1,2,3,4,5,6,7,8,9],"bins":5}' "$SUP" >/dev/null
expect_status 200 "histogram with bins"
[ "$(jbody '[(b["lo"], b["hi"], b["count"]) for b in j["bins"]]')" = \
  "[(0.0, 1.8, 8), (1.8, 3.6, 8), (3.6, 5.4, 8), (5.4, 7.2, 8), (7.2, 9.0, 8)]" ] || fail "bins: $HTTP_BODY"
[ "$(jbody '(j["mean"], j["bin_rule"])')" = "(4.5, 'given')" ] || fail "bins mean: $HTTP_BODY"
http POST /api/v1/reports/histogram '{"values":[0,1,2,3,4,5,6,7,8,9,0,1,2,3,4,5,6,7,8,9,0,1,2,3,4,5,6,7,8,9,0,1,2,3,4,5,6,7,8,9],"lsl":1,"usl":7}' "$SUP" >/dev/null
expect_status 200 "histogram with spec limits"
[ "$(jbody '(j["spec"]["below_lsl"], j["spec"]["above_usl"], round(j["spec"]["cp"], 6), round(j["spec"]["cpk"], 6))')" = \
  "$(python3 -c 'import math; sd = math.sqrt(330 / 39); print((4, 8, round(6 / (6 * sd), 6), round(2.5 / (3 * sd), 6)))')" ] ||
	fail "spec: $HTTP_BODY"
# The deck's advice for a bimodal one, stratified: each queue is normal.
LABELS=$(python3 -c 'print(["sales" if i % 2 else "support" for i in range(600)])' | tr "'" '"')
http POST /api/v1/reports/histogram "{\"values\":$VALUES,\"groups\":$LABELS}" "$SUP" >/dev/null
expect_status 200 "histogram by group"
[ "$(jbody '[(g["group"], g["count"], g["shape"], abs(g["mean"] - m) < 10) for g, m in zip(j["strata"], (400, 200))]')" = \
  "[('support', 300, 'normal', True), ('sales', 300, 'normal', True)]" ] || fail "strata: $HTTP_BODY"
ok "histogram: bins, mean, sd, the deck's shape and its advice, the spec limits, each group's shape"

# --- bad input: 400 naming what is wrong
# bad PATH BODY WORD: 400 whose reason holds WORD.
bad() {
	http POST "$1" "$2" "$SUP" >/dev/null
	expect_status 400 "$2"
	case "$(jbody 'j["error"]')" in *"$3"*) ;; *) fail "reason for $2: $HTTP_BODY" ;; esac
}
S=/api/v1/reports/spc
bad $S 'not json' 'JSON'
bad $S '{"values":[1,2,3]}' chart
bad $S '{"chart":"c","values":[1,2,3]}' chart
bad $S '{"chart":"xmr","values":[]}' values
bad $S '{"chart":"xmr","values":[1,"2",3]}' 'values[1]'
bad $S '{"chart":"xmr","values":[1,true,3]}' 'values[1]'
bad $S '{"chart":"xmr","values":[5]}' 'too few points'
bad $S '{"chart":"xmr","values":[5,5,5]}' 'no variation'
bad $S '{"chart":"xmr","values":[1,2,3],"rules":"qcc"}' rules
bad $S '{"chart":"xmr","values":[1,2,3],"sigma":0}' sigma
bad $S '{"chart":"xmr","values":[1,2,3],"sigma":"1"}' sigma
bad $S '{"chart":"xmr","values":[1,2,3],"n":[5,5,5]}' 'n:'
bad $S '{"chart":"xmr","values":[1,2,3],"baseline":[2,9]}' baseline
bad $S '{"chart":"p","values":[1,2,3]}' 'n:'
bad $S '{"chart":"p","values":[1,2,3],"n":[10,10]}' 'n:'
bad $S '{"chart":"p","values":[1,20,3],"n":[10,10,10]}' 'values[1]'
bad $S '{"chart":"p","values":[1,2,3],"n":[10,0,10]}' 'n[1]'
bad $S '{"chart":"p","values":[1,2,3],"n":[10,10,10],"sigma":0.1}' sigma
bad $S '{"chart":"xbar-r","values":[[1,2],[1,2,3]]}' 'values[1]'
bad $S '{"chart":"xbar-r","values":[[1],[2]]}' subgroup
bad $S "{\"chart\":\"xmr\",\"values\":$(python3 -c 'print(list(range(10001)))')}" 'at most'
H=/api/v1/reports/histogram
bad $H '[1,2]' 'object'
bad $H '{"values":[1,2,3]}' 'at least 20'
bad $H '{"values":"x"}' values
bad $H "{\"values\":$VALUES,\"bins\":2}" bins
bad $H "{\"values\":$VALUES,\"bins\":101}" bins
bad $H "{\"values\":$VALUES,\"bins\":\"10\"}" bins
bad $H '{"values":[3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3]}' equal
bad $H "{\"values\":$VALUES,\"lsl\":9,\"usl\":1}" lsl
bad $H "{\"values\":$VALUES,\"usl\":\"9\"}" usl
bad $H "{\"values\":$VALUES,\"groups\":[\"a\"]}" groups
bad $H '{"values":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20],"groups":["a","b","c","d","e","f","g","h","i","j","k","l","m","n","o","p","q","r","s",1]}' 'groups[19]'
ok "bad input: 400 with the field named, for both endpoints"

# --- who may: supervisors and admins
for t in "$ADMIN" "$SUP"; do
	http POST $S '{"chart":"xmr","values":[1,3,2]}' "$t" >/dev/null
	expect_status 200 "chart by a supervisor or admin"
	http POST $H "{\"values\":$VALUES}" "$t" >/dev/null
	expect_status 200 "histogram by a supervisor or admin"
done
for t in "$AGENT" "$EXEC"; do
	http POST $S '{"chart":"xmr","values":[1,3,2]}' "$t" >/dev/null
	expect_status 403 "chart by an agent or executive"
	http POST $H "{\"values\":$VALUES}" "$t" >/dev/null
	expect_status 403 "histogram by an agent or executive"
done
http POST $S '{"chart":"xmr","values":[1,3,2]}' >/dev/null
expect_status 401 "chart without a token"
ok "supervisors and admins only; 401 without a token"
