// woattach: a work order's files (附件) on its page — the list, upload,
// download and removal. The file goes up as the request body with its
// name in ?name= (the server's size, count and type limits come back with
// the list, so the picker only offers what will be taken and a refusal is
// the server's own reason). Downloads go through fetch with the token
// header, never a token in a URL, and are saved under the uploaded name.
import { ref, watch } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { t } from './i18n.js';
import { get, del, session } from './api.js';
import { when } from './util.js';

const LEAD = 1 << 3;   // ticket_actor's lead bit, in the order's "actors"

// 2057 → "2 KB", 10485760 → "10 MB": one decimal only where it says something.
export function size(n) {
  const one = x => String(Math.round(x * 10) / 10);
  if (n < 1024) return n + ' B';
  if (n < 1024 * 1024) return one(n / 1024) + ' KB';
  return one(n / 1024 / 1024) + ' MB';
}

export default {
  props: { order: { type: Object, required: true } },
  emits: ['changed'],
  setup(props, { emit }) {
    const items = ref([]), limits = ref(null), busy = ref(false), input = ref(null);
    const base = () => '/api/v1/work-orders/' + encodeURIComponent(props.order.id) + '/attachments';
    const load = async () => {
      try {
        const r = await get(base());
        items.value = r.items;
        limits.value = r;
      } catch (e) { items.value = []; ElMessage.error(e.message); }
    };
    const reason = async res => {
      const text = await res.text();
      try { return JSON.parse(text).error || text; } catch (e) { return text || res.statusText; }
    };
    const upload = async ev => {
      const f = ev.target.files && ev.target.files[0];
      ev.target.value = '';
      if (!f) return;
      busy.value = true;
      try {
        const res = await fetch(base() + '?name=' + encodeURIComponent(f.name), {
          method: 'POST', body: f,
          headers: { Authorization: 'Bearer ' + session.token,
            'Content-Type': 'application/octet-stream' } });
        if (!res.ok) throw new Error(await reason(res));
        ElMessage.success(t('wo.att.added', { name: f.name }));
        await load();
        emit('changed');
      } catch (e) { ElMessage.error(e.message); }
      busy.value = false;
    };
    const download = async a => {
      try {
        const res = await fetch(base() + '/' + a.id, { headers: { Authorization: 'Bearer ' + session.token } });
        if (!res.ok) throw new Error(await reason(res));
        const url = URL.createObjectURL(await res.blob());
        const link = document.createElement('a');
        link.href = url;
        link.download = a.name;
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10000);
      } catch (e) { ElMessage.error(e.message); }
    };
    const remove = async a => {
      try {
        await ElMessageBox.confirm(t('wo.att.removeAsk', { name: a.name }), t('wo.att.remove'),
          { type: 'warning', confirmButtonText: t('common.ok'), cancelButtonText: t('common.cancel') });
      } catch (e) { return; }
      try {
        await del(base() + '/' + a.id);
        ElMessage.success(t('wo.att.removed', { name: a.name }));
        await load();
        emit('changed');
      } catch (e) { ElMessage.error(e.message); }
    };
    const mayRemove = a => a.uploaded_by_name === session.user.username || ((props.order.actors || 0) & LEAD) !== 0;
    const writer = ['admin', 'supervisor', 'agent', 'backoffice'].includes(session.user.role);
    const accept = () => limits.value ? limits.value.extensions.map(e => '.' + e).join(',') : '';
    const full = () => limits.value && items.value.length >= limits.value.max_files;
    const pick = () => input.value && input.value.click();
    watch(() => props.order.id, load, { immediate: true });
    return { items, limits, busy, input, upload, download, remove, mayRemove, writer, accept, full,
      pick, size, when, t };
  },
  template: `
  <div class="wo-attach">
    <div class="section-title att-title" style="display: flex; align-items: center; gap: 6px">{{ t('wo.att.title') }}
      <span class="muted att-limits" v-if="limits" style="font-weight: normal">{{ t('wo.att.limits', { n: items.length, max: limits.max_files, size: size(limits.max_bytes) }) }}</span>
      <el-button v-if="writer" size="small" class="btn-attach" style="margin-left: auto" :loading="busy" :disabled="full()" @click="pick">{{ t('wo.att.add') }}</el-button>
      <input ref="input" type="file" class="att-input" :accept="accept()" style="display:none" @change="upload" />
    </div>
    <div v-if="!items.length" class="muted att-none">{{ t('wo.att.none') }}</div>
    <div v-for="a in items" :key="a.id" class="att-row" :data-name="a.name" style="display: flex; align-items: center; gap: 8px; padding: 2px 0">
      <el-link type="primary" class="att-name" @click="download(a)">{{ a.name }}</el-link>
      <span class="muted att-meta">{{ size(a.size) }} · {{ a.uploaded_by_name }} · {{ when(a.uploaded_at) }}</span>
      <el-button v-if="mayRemove(a)" link type="danger" size="small" class="btn-att-remove" @click="remove(a)">{{ t('wo.att.remove') }}</el-button>
    </div>
  </div>`,
};
