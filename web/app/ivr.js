// ivr: the voice menus (语音导航) — each flow's JSON as the server keeps it,
// checked by the server's own validator with every problem shown beside
// the line it concerns, saved as a new version, and drawn read-only as a
// graph (start on the left, each step one column further).
import { ref, computed, onMounted, onUnmounted, nextTick, watch } from 'vue';
import { ElMessage } from 'element-plus';
import * as echarts from 'echarts';
import { t } from './i18n.js';
import { get, post, put, session } from './api.js';
import { lineOf, edgesOf } from './flowgraph.js';

export default {
  setup() {
    const flows = ref([]), current = ref(''), text = ref(''), problems = ref([]);
    const checked = ref(false), busy = ref(false);
    const canSave = computed(() => session.user.role === 'admin');
    const chartEl = ref(null), area = ref(null);
    let chart = null;

    const loadList = async () => {
      try { flows.value = (await get('/api/v1/ivr-flows')).items; }
      catch (e) { ElMessage.error(e.message); }
    };
    const select = async name => {
      try {
        const f = await get('/api/v1/ivr-flows/' + encodeURIComponent(name));
        current.value = name;
        const flow = f.flow || f;
        for (const k of ['version', 'updated_at', 'updated_by']) delete flow[k];
        text.value = JSON.stringify(flow, null, 2);
        problems.value = [];
        checked.value = false;
        draw();
      } catch (e) { ElMessage.error(e.message); }
    };
    const parsed = () => {
      try { return JSON.parse(text.value); }
      catch (e) {
        problems.value = [{ path: '', message: e.message, line: 1 }];
        return null;
      }
    };
    const withLines = list => list.map(p => ({ ...p, line: lineOf(text.value, p.path) }));
    const send = async save => {
      const flow = parsed();
      if (!flow) return;
      busy.value = true;
      try {
        if (save) {
          await put('/api/v1/ivr-flows/' + encodeURIComponent(flow.name || current.value), flow);
          ElMessage.success(t('ivr.saved'));
          current.value = flow.name || current.value;
          loadList();
        } else {
          await post('/api/v1/ivr-flows/check', flow);
        }
        problems.value = [];
        checked.value = true;
      } catch (e) {
        problems.value = withLines(e.body && e.body.problems ? e.body.problems :
          [{ path: '', message: e.message }]);
        checked.value = false;
      } finally { busy.value = false; }
      draw();
    };
    const goTo = p => {
      const el = area.value && area.value.$el.querySelector('textarea');
      if (!el) return;
      const lines = text.value.split('\n');
      const start = lines.slice(0, p.line - 1).join('\n').length + (p.line > 1 ? 1 : 0);
      el.focus();
      el.setSelectionRange(start, start + (lines[p.line - 1] || '').length);
      el.scrollTop = Math.max(0, (p.line - 5) * 18);
    };
    const blank = () => {
      current.value = '';
      text.value = JSON.stringify({ name: 'new_flow', start: 'welcome', voice: 'zh',
        nodes: { welcome: { kind: 'play', prompt: '您好，欢迎致电。', next: 'agent' },
          agent: { kind: 'queue', queue: 'support' } } }, null, 2);
      problems.value = [];
      draw();
    };

    // Rows by distance from start, top to bottom; nodes no path reaches
    // go last (and are red: the validator names them).
    const draw = async () => {
      await nextTick();
      if (!chartEl.value) return;
      let flow;
      try { flow = JSON.parse(text.value); } catch (e) { return; }
      const names = Object.keys(flow.nodes || {});
      const edges = edgesOf(flow);
      const depth = { [flow.start]: 0 }, queue = [flow.start];
      while (queue.length) {
        const n = queue.shift();
        for (const e of edges) if (e.from === n && depth[e.to] === undefined) {
          depth[e.to] = depth[n] + 1;
          queue.push(e.to);
        }
      }
      const maxd = Math.max(0, ...Object.values(depth));
      const rows = {};
      const bad = new Set(problems.value.map(p => String(p.path).split('.')[1]));
      const data = names.map(n => {
        const d = depth[n] === undefined ? maxd + 1 : depth[n];
        rows[d] = (rows[d] || 0) + 1;
        const kind = flow.nodes[n].kind;
        return { name: n, x: rows[d] * 150, y: d * 90, value: kind,
          symbolSize: [118, 38], symbol: 'roundRect',
          label: { show: true, formatter: `{b}\n${kind}`, color: '#fff' },
          itemStyle: { color: bad.has(n) ? '#f56c6c' : n === flow.start ? '#67c23a' : '#409eff' } };
      });
      if (!chart) chart = echarts.init(chartEl.value);
      chart.setOption({
        tooltip: { formatter: p => p.dataType === 'edge' ? p.data.label.formatter : `${p.name}: ${p.value}` },
        animation: false,
        series: [{ type: 'graph', layout: 'none', roam: true, data,
          edgeSymbol: ['none', 'arrow'], edgeSymbolSize: 8,
          lineStyle: { color: '#909399', curveness: 0.15 },
          links: edges.map(e => ({ source: e.from, target: e.to,
            label: { show: true, formatter: e.label, fontSize: 11, color: '#606266' } })) }],
      }, true);
    };
    const resize = () => chart && chart.resize();
    watch(text, () => { checked.value = false; });
    onMounted(async () => {
      await loadList();
      if (flows.value.length) select(flows.value.find(f => f.name === 'main') ? 'main' : flows.value[0].name);
      window.addEventListener('resize', resize);
    });
    onUnmounted(() => { window.removeEventListener('resize', resize); if (chart) chart.dispose(); });
    return { flows, current, text, problems, checked, busy, canSave, chartEl, area,
      select, send, goTo, blank, draw, t };
  },
  template: `
  <el-row :gutter="12" class="ivr">
    <el-col :span="4">
      <el-card shadow="never">
        <template #header><b>{{ t('ivr.flows') }}</b></template>
        <div v-for="f in flows" :key="f.name" class="flow-item" :class="{ on: f.name === current }"
             @click="select(f.name)" :data-flow="f.name">
          <b>{{ f.name }}</b><span class="muted"> v{{ f.version }}</span>
        </div>
        <el-button v-if="canSave" size="small" class="wide new-flow" @click="blank">{{ t('common.create') }}</el-button>
      </el-card>
    </el-col>
    <el-col :span="10">
      <el-card shadow="never">
        <template #header><b>JSON</b>
          <span class="right">
            <el-button size="small" :loading="busy" @click="send(false)" class="btn-check">{{ t('ivr.check') }}</el-button>
            <el-button v-if="canSave" size="small" type="primary" :loading="busy" @click="send(true)" class="btn-save-flow">{{ t('common.save') }}</el-button>
          </span></template>
        <el-input ref="area" v-model="text" type="textarea" :rows="22" class="flow-json" spellcheck="false" @blur="draw" />
        <el-alert v-if="checked" type="success" :closable="false" show-icon :title="t('ivr.valid')" class="form-error" />
        <div v-if="problems.length" class="problems">
          <div class="problems-title">{{ t('ivr.problems', { n: problems.length }) }}</div>
          <div v-for="(p, i) in problems" :key="i" class="problem" @click="goTo(p)">
            <el-tag type="danger" size="small">{{ t('ivr.line', { n: p.line }) }}</el-tag>
            <code>{{ p.path }}</code> {{ p.message }}
          </div>
        </div>
      </el-card>
    </el-col>
    <el-col :span="10">
      <el-card shadow="never">
        <template #header><b>{{ t('ivr.graph') }}</b></template>
        <div ref="chartEl" class="flow-graph"></div>
      </el-card>
    </el-col>
  </el-row>`,
};
