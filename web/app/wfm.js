// wfm: workforce management (排班与人力预测) for those who plan the center
// (supervisors and administrators): the forecast of a queue's calls and
// the agents each interval needs (预测与排班需求), the week's shifts with
// their breaks (班表), and the day's planned against actual staffing with
// each agent's adherence, 出勤率 and 实际工作率 (计划与实际). docs/wfm.md
// explains each number; the server computes every one of them.
import { ref } from 'vue';
import { t } from './i18n.js';
import WfmForecast from './wfm_forecast.js';
import WfmShifts from './wfm_shifts.js';
import WfmActual from './wfm_actual.js';

const tabs = ['forecast', 'shifts', 'actual'];

export default {
  components: { WfmForecast, WfmShifts, WfmActual },
  setup() {
    const tab = ref(tabs[0]);
    return { tab, tabs, t };
  },
  template: `
  <div class="wfm-page">
    <el-tabs v-model="tab" class="wfm-tabs">
      <el-tab-pane v-for="n in tabs" :key="n" :name="n" :label="t('wfm.tab.' + n)">
        <wfm-forecast v-if="n === 'forecast' && tab === n" />
        <wfm-shifts v-if="n === 'shifts' && tab === n" />
        <wfm-actual v-if="n === 'actual' && tab === n" />
      </el-tab-pane>
    </el-tabs>
  </div>`,
};
