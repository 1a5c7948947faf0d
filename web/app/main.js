// main: the console's shell — sign-in, the menu the user's role may use,
// the header (user, language, connection) and the page of the current
// hash (#/desk, #/wallboard, …). Pages are components in their own files.
import { createApp, ref, computed, watch, h, onUnmounted } from 'vue';
import ElementPlus, { ElMessage, ElConfigProvider } from 'element-plus';
import zhCn from 'element-plus/zh-cn';
import en from 'element-plus/en';
import * as Icons from '@element-plus/icons-vue';
import { t, lang, setLang, languages } from './i18n.js';
import { session, login, logout, onExpired } from './api.js';
import * as liveStore from './live.js';
import { live } from './live.js';
import Desk from './desk.js';
import Wallboard from './wallboard.js';
import Calls from './calls.js';
import Users from './users.js';
import Queues from './queues.js';
import Ivr from './ivr.js';
import Org from './org.js';
import Audit from './audit.js';
import Trunks from './trunks.js';
import Codes from './codes.js';
import Me from './me.js';
import Customers from './customers.js';
import WorkOrders from './workorders.js';
import Kb from './kb.js';
import Tasks from './tasks.js';
import Qa from './qa.js';
import ReportsList from './reports_list.js';
import Wfm from './wfm.js';
import { watchQa } from './qa_notify.js';
import ReportsSpc from './reports_spc.js';
import ReportsDaily from './reports_daily.js';
import ReportsRegion from './reports_region.js';
import ReportsHist from './reports_hist.js';
import { watchWorkOrders } from './wo_notify.js';

// The pages: who may open each (the server enforces the same through the
// routes' roles; this only keeps the menu to what works). The first a
// person may open is where they land: the wallboard for supervisors and
// above, the desktop for agents.
const pages = [
  { path: 'wallboard', group: 'calls', title: 'nav.wallboard', icon: 'Monitor', comp: Wallboard, wall: true,
    roles: ['supervisor', 'admin', 'executive', 'qa'] },
  { path: 'desk', group: 'calls', title: 'nav.desk', icon: 'Headset', comp: Desk,
    roles: ['agent', 'supervisor', 'admin'] },
  { path: 'calls', group: 'calls', title: 'nav.calls', icon: 'Microphone', comp: Calls,
    roles: ['agent', 'supervisor', 'admin', 'executive', 'qa'] },
  { path: 'customers', group: 'work', title: 'nav.customers', icon: 'Avatar', comp: Customers,
    roles: ['agent', 'supervisor', 'admin', 'executive', 'qa', 'backoffice'] },
  { path: 'workorders', group: 'work', title: 'nav.workorders', icon: 'List', comp: WorkOrders,
    roles: ['agent', 'supervisor', 'admin', 'backoffice', 'executive', 'qa'] },
  { path: 'kb', group: 'work', title: 'nav.kb', icon: 'Reading', comp: Kb,
    roles: ['agent', 'supervisor', 'admin', 'executive', 'qa', 'backoffice'] },
  { path: 'tasks', group: 'work', title: 'nav.tasks', icon: 'Bell', comp: Tasks,
    roles: ['supervisor', 'admin'] },
  { path: 'qa', group: 'mgmt', title: 'nav.qa', icon: 'Checked', comp: Qa,
    roles: ['qa', 'agent', 'supervisor', 'admin', 'executive'] },
  { path: 'daily', group: 'mgmt', title: 'nav.daily', icon: 'DataBoard', comp: ReportsDaily, wall: true,
    roles: ['supervisor', 'admin'] },
  { path: 'report-list', group: 'mgmt', title: 'nav.reportList', icon: 'DataAnalysis', comp: ReportsList,
    roles: ['supervisor', 'admin', 'executive'] },
  { path: 'spc', group: 'mgmt', title: 'nav.spc', icon: 'TrendCharts', comp: ReportsSpc,
    roles: ['supervisor', 'admin', 'qa'] },
  { path: 'histogram', group: 'mgmt', title: 'nav.hist', icon: 'Histogram', comp: ReportsHist,
    roles: ['supervisor', 'admin'] },
  { path: 'region', group: 'mgmt', title: 'nav.region', icon: 'MapLocation', comp: ReportsRegion,
    roles: ['supervisor', 'admin'] },
  { path: 'wfm', group: 'mgmt', title: 'nav.wfm', icon: 'Calendar', comp: Wfm,
    roles: ['supervisor', 'admin'] },
  { path: 'queues', group: 'admin', title: 'nav.queues', icon: 'Operation', comp: Queues,
    roles: ['supervisor', 'admin'] },
  { path: 'ivr', group: 'admin', title: 'nav.ivr', icon: 'Share', comp: Ivr,
    roles: ['supervisor', 'admin'] },
  { path: 'codes', group: 'admin', title: 'nav.codes', icon: 'Tickets', comp: Codes,
    roles: ['supervisor', 'admin'] },
  { path: 'trunks', group: 'admin', title: 'nav.trunks', icon: 'Connection', comp: Trunks,
    roles: ['admin'] },
  { path: 'users', group: 'admin', title: 'nav.users', icon: 'User', comp: Users,
    roles: ['admin'] },
  { path: 'org', group: 'admin', title: 'nav.org', icon: 'OfficeBuilding', comp: Org,
    roles: ['admin'] },
  { path: 'audit', group: 'admin', title: 'nav.audit', icon: 'Document', comp: Audit,
    roles: ['admin'] },
  { path: 'me', group: 'me', title: 'nav.me', icon: 'UserFilled', comp: Me,
    roles: ['agent', 'supervisor', 'admin', 'executive', 'qa', 'backoffice'] },
];

// The menu's groups, in menu order; a group shows when one of its pages may
// be opened.
const groups = ['calls', 'work', 'mgmt', 'admin', 'me'];

const Login = {
  setup() {
    const form = ref({ username: '', password: '' });
    const busy = ref(false);
    const submit = async () => {
      if (!form.value.username || !form.value.password) {
        ElMessage.warning(t('login.need'));
        return;
      }
      busy.value = true;
      try {
        await login(form.value.username, form.value.password);
      } catch (e) {
        ElMessage.error(e.message);
      } finally {
        busy.value = false;
      }
    };
    return { form, busy, submit, t, lang, setLang, languages };
  },
  template: `
  <div class="login">
    <el-card class="login-card" shadow="always">
      <div class="login-brand">☎ {{ t('app.title') }}</div>
      <el-form label-position="top" @submit.prevent="submit">
        <el-form-item :label="t('login.user')">
          <el-input v-model="form.username" name="username" autocomplete="username" size="large" />
        </el-form-item>
        <el-form-item :label="t('login.password')">
          <el-input v-model="form.password" name="password" type="password" show-password
                    autocomplete="current-password" size="large" @keyup.enter="submit" />
        </el-form-item>
        <el-button type="primary" size="large" class="wide" :loading="busy" @click="submit"
                   native-type="submit">{{ t('login.submit') }}</el-button>
      </el-form>
      <div class="login-lang">
        <el-radio-group :model-value="lang" size="small" @change="setLang">
          <el-radio-button v-for="l in languages" :key="l.value" :value="l.value">{{ l.label }}</el-radio-button>
        </el-radio-group>
      </div>
    </el-card>
  </div>`,
};

const Shell = {
  setup() {
    const hash = ref(location.hash.replace(/^#\/?/, ''));
    window.addEventListener('hashchange', () => {
      hash.value = location.hash.replace(/^#\/?/, '');
    });
    const allowed = computed(() =>
      pages.filter(p => session.user && p.roles.includes(session.user.role)));
    const menu = computed(() => groups
      .map(g => ({ id: g, items: allowed.value.filter(p => p.group === g) }))
      .filter(g => g.items.length));
    const current = computed(() =>
      allowed.value.find(p => p.path === hash.value.split(/[/?]/)[0]) ||
      allowed.value[0]);
    const go = path => { location.hash = '#/' + path; };
    // A wall screen: the page alone, without menu and header (Esc leaves).
    const wall = ref(false);
    const toggleWall = () => {
      wall.value = !wall.value;
      if (wall.value && document.documentElement.requestFullscreen)
        document.documentElement.requestFullscreen().catch(() => {});
      else if (!wall.value && document.fullscreenElement) document.exitFullscreen();
    };
    document.addEventListener('fullscreenchange', () => {
      if (!document.fullscreenElement) wall.value = false;
    });
    onUnmounted(watchQa());
    onUnmounted(watchWorkOrders());
    const signOut = async () => {
      liveStore.stop();
      await logout();
    };
    return { session, live, allowed, menu, current, go, signOut, t, lang, setLang,
      languages, wall, toggleWall };
  },
  template: `
  <el-container class="shell" :class="{ wall }">
    <el-aside v-if="!wall" width="220px" class="nav">
      <div class="brand">☎ Hotline</div>
      <el-menu :default-active="current && current.path" @select="go"
               background-color="#1f2d3d" text-color="#bfcbd9" active-text-color="#ffffff">
        <el-menu-item-group v-for="g in menu" :key="g.id" :title="t('nav.group.' + g.id)">
          <el-menu-item v-for="p in g.items" :key="p.path" :index="p.path" :data-page="p.path">
            <el-icon><component :is="p.icon" /></el-icon>
            <span>{{ t(p.title) }}</span>
          </el-menu-item>
        </el-menu-item-group>
      </el-menu>
    </el-aside>
    <el-container>
      <el-header v-if="!wall" class="top">
        <span class="page-title">{{ current ? t(current.title) : '' }}</span>
        <span class="spacer"></span>
        <el-button v-if="current && current.wall" size="small" @click="toggleWall"
                   class="btn-wall">{{ t('app.wall') }}</el-button>
        <el-tag :type="live.connected ? 'success' : 'danger'" effect="plain" class="conn">
          {{ live.connected ? '●' : '○' }}
        </el-tag>
        <el-select :model-value="lang" @change="setLang" size="small" class="lang-select">
          <el-option v-for="l in languages" :key="l.value" :value="l.value" :label="l.label" />
        </el-select>
        <span class="who">{{ session.user.display_name || session.user.username }}
          · {{ t('role.' + session.user.role) }}</span>
        <el-button size="small" @click="signOut">{{ t('app.signout') }}</el-button>
      </el-header>
      <el-alert v-if="!live.connected && live.everConnected" type="error" :closable="false"
                show-icon class="banner" :title="t('app.lost')" />
      <el-main class="main" @dblclick="wall && toggleWall()">
        <component v-if="current" :is="current.comp" :key="current.path" />
      </el-main>
    </el-container>
  </el-container>`,
};

const Root = {
  setup() {
    const elLocale = computed(() => (lang.value === 'en' ? en : zhCn));
    watch(() => session.token, tok => (tok ? liveStore.start() : liveStore.stop()),
      { immediate: true });
    onExpired(() => ElMessage.warning(t('login.expired')));
    return () => h(ElConfigProvider, { locale: elLocale.value },
      () => h(session.token && session.user ? Shell : Login));
  },
};

const app = createApp(Root);
app.use(ElementPlus);
for (const [name, comp] of Object.entries(Icons)) app.component(name, comp);
app.config.errorHandler = (err) => {
  // A page's mistake is shown, not swallowed into a blank screen.
  console.error(err);
  ElMessage.error(String(err && err.message || err));
};
app.mount('#app');
// For the browser tests and for whoever debugs a wallboard: the live
// picture, read-only by convention.
window.hotline = { live };
