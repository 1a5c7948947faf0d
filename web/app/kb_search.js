// kb_search: the knowledge-base search panel of the agent desk — type
// while the customer talks, read the answer without leaving the call, and
// link the article to the call it helped with. Self-contained: the desk
// only places it and passes the live call's id.
import { ref, watch } from 'vue';
import { ElMessage } from 'element-plus';
import { t } from './i18n.js';
import { get, post } from './api.js';
import { renderMarkdown } from './markdown.js';

export default {
  props: { callId: { type: String, default: '' } },
  setup(props) {
    const q = ref(''), items = ref([]), open = ref(null), linked = ref({});
    let timer = null, seq = 0;
    const search = async () => {
      const mine = ++seq;
      if (!q.value.trim()) { items.value = []; return; }
      try {
        const r = await get('/api/v1/kb/search?limit=8&q=' + encodeURIComponent(q.value.trim()));
        if (mine === seq) items.value = r.items;
      } catch (e) { if (mine === seq) ElMessage.error(e.message); }
    };
    // Searching as the agent types, once they pause.
    watch(q, () => { clearTimeout(timer); timer = setTimeout(search, 250); });
    const read = async id => {
      try { open.value = await get('/api/v1/kb/articles/' + id); } catch (e) { ElMessage.error(e.message); }
    };
    const link = async () => {
      try {
        await post('/api/v1/kb/articles/' + open.value.id + '/links', { kind: 'call', target: props.callId });
        linked.value = { ...linked.value, [open.value.id + props.callId]: true };
        ElMessage.success(t('kb.linked'));
      } catch (e) { ElMessage.error(e.message); }
    };
    return { q, items, open, linked, read, link, renderMarkdown, t, props };
  },
  template: `
  <el-card shadow="never" class="kb-desk">
    <template #header><b>{{ t('kb.deskTitle') }}</b></template>
    <el-input v-model="q" :placeholder="t('kb.searchHint')" clearable class="kb-desk-q" />
    <div v-if="!open" class="kb-desk-hits">
      <div v-for="h in items" :key="h.id" class="kb-hit" @click="read(h.id)">
        <div class="kb-hit-title">{{ h.title }}</div>
        <div class="kb-snippet" v-html="h.snippet"></div>
      </div>
      <div v-if="q && !items.length" class="muted">{{ t('kb.noHits') }}</div>
    </div>
    <div v-else class="kb-desk-read">
      <div class="row"><el-button link type="primary" @click="open = null">← {{ t('kb.back') }}</el-button>
        <span class="spacer"></span>
        <el-button v-if="props.callId" size="small" :disabled="linked[open.id + props.callId]" @click="link" class="btn-kb-link">{{ t('kb.linkCall') }}</el-button></div>
      <h4 class="kb-desk-title">{{ open.title }}</h4>
      <div class="kb-body" v-html="renderMarkdown(open.body)"></div>
    </div>
  </el-card>`,
};
