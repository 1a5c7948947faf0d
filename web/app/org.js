// org: the organisation's tree (组织机构管理) — departments under
// departments, each with how many users it has. The tree is the basis of
// data scope: a supervisor sees their department and those below it.
import { ref, onMounted } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { t } from './i18n.js';
import { get, post, put, del } from './api.js';

export default {
  setup() {
    const tree = ref([]), flat = ref([]);
    const load = async () => {
      try {
        const r = await get('/api/v1/departments');
        tree.value = r.tree;
        flat.value = r.items;
      } catch (e) { ElMessage.error(e.message); }
    };
    const ask = async (title, value) => (await ElMessageBox.prompt(t('org.name'), title,
      { inputValue: value || '', inputPattern: /\S/, confirmButtonText: t('common.ok'),
        cancelButtonText: t('common.cancel') })).value;
    const add = async parent => {
      try {
        const name = await ask(parent ? t('org.addUnder', { name: parent.name }) : t('org.addTop'));
        await post('/api/v1/departments', parent ? { name, parent_id: parent.id } : { name });
        load();
      } catch (e) { if (e && e.message) ElMessage.error(e.message); }
    };
    const rename = async d => {
      try {
        await put('/api/v1/departments/' + d.id, { name: await ask(t('org.rename'), d.name) });
        load();
      } catch (e) { if (e && e.message) ElMessage.error(e.message); }
    };
    const move = async (d, parentId) => {
      try {
        await put('/api/v1/departments/' + d.id, { parent_id: parentId || null });
        load();
      } catch (e) { ElMessage.error(e.message); }
    };
    const remove = async d => {
      try {
        await ElMessageBox.confirm(d.name, t('common.delete'), { type: 'warning' });
        await del('/api/v1/departments/' + d.id);
        load();
      } catch (e) { if (e && e.message) ElMessage.error(e.message); }
    };
    onMounted(load);
    return { tree, flat, add, rename, move, remove, t };
  },
  template: `
  <el-card shadow="never" class="org">
    <template #header><b>{{ t('nav.org') }}</b>
      <el-button type="primary" size="small" class="right btn-add-top" @click="add(null)">{{ t('org.addTop') }}</el-button></template>
    <el-tree :data="tree" node-key="id" default-expand-all :expand-on-click-node="false"
             :props="{ label: 'name', children: 'children' }" class="org-tree" :empty-text="t('org.empty')">
      <template #default="{ data }">
        <span class="org-node">
          <span class="org-name">{{ data.name }}</span>
          <span class="muted">{{ t('org.users', { n: data.users }) }}</span>
          <span class="org-ops">
            <el-button size="small" link type="primary" @click.stop="add(data)">{{ t('org.addChild') }}</el-button>
            <el-button size="small" link type="primary" @click.stop="rename(data)">{{ t('org.rename') }}</el-button>
            <el-select size="small" :model-value="data.parent_id || ''" @change="v => move(data, v)"
                       :placeholder="t('org.moveTo')" style="width: 140px" @click.stop>
              <el-option value="" :label="t('org.top')" />
              <el-option v-for="d in flat.filter(x => x.id !== data.id)" :key="d.id" :value="d.id" :label="d.name" />
            </el-select>
            <el-button size="small" link type="danger" @click.stop="remove(data)">{{ t('common.delete') }}</el-button>
          </span>
        </span>
      </template>
    </el-tree>
  </el-card>`,
};
