// qa: the quality-inspection page (质检). Each role sees its tabs: an
// inspector (qa, admin) scores the calls sampled for them (待质检); an
// agent reads their evaluations and may appeal (我的质检); a lead
// (supervisor, admin) decides the appeals (申诉处理); leads open blind
// calibration sessions and inspectors score them (校准); inspectors and
// leads mark teaching cases and every team member plays the clips shared
// with their team (辅导); everyone but agents
// reads the report (质检考评报表). The server checks the same through the
// routes' roles and data scope; the tabs only keep to what works.
import { ref } from 'vue';
import { t } from './i18n.js';
import { session } from './api.js';
import QaScore from './qa_score.js';
import QaEvals from './qa_evals.js';
import QaReport from './qa_report.js';
import QaCalibrate from './qa_calibrate.js';
import QaCoach from './qa_coach.js';

const tabs = [
  { name: 'inspect', roles: ['qa', 'admin'] },
  { name: 'mine', roles: ['agent'] },
  { name: 'appeals', roles: ['supervisor', 'admin'] },
  { name: 'calibrate', roles: ['qa', 'supervisor', 'admin'] },
  { name: 'coach', roles: ['agent', 'qa', 'supervisor', 'admin'] },
  { name: 'report', roles: ['qa', 'supervisor', 'admin', 'executive'] },
];

export default {
  components: { QaScore, QaEvals, QaReport, QaCalibrate, QaCoach },
  setup() {
    const mine = tabs.filter(x => x.roles.includes(session.user.role)).map(x => x.name);
    const tab = ref(mine[0]);
    return { tab, mine, t };
  },
  template: `
  <div class="qa-page">
    <el-tabs v-model="tab" class="qa-tabs">
      <el-tab-pane v-for="n in mine" :key="n" :name="n" :label="t('qa.tab.' + n)">
        <qa-score v-if="n === 'inspect' && tab === n" />
        <qa-evals v-if="n === 'mine' && tab === n" mode="mine" />
        <qa-evals v-if="n === 'appeals' && tab === n" mode="appeals" />
        <qa-calibrate v-if="n === 'calibrate' && tab === n" />
        <qa-coach v-if="n === 'coach' && tab === n" />
        <qa-report v-if="n === 'report' && tab === n" />
      </el-tab-pane>
    </el-tabs>
  </div>`,
};
