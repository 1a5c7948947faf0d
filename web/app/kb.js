// kb: the knowledge base (知识库) — the category tree on the left, the
// articles of the chosen category (or the search results, terms marked)
// in the middle, the article on the right rendered from Markdown (safely:
// markdown.js escapes everything), with was-this-useful votes. Editors
// (admin, supervisor, QA, back office) also add and arrange categories,
// write and publish articles and read every earlier version.
import { ref, computed, watch, onMounted } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { t } from './i18n.js';
import { get, post, put, del, session } from './api.js';
import { renderMarkdown } from './markdown.js';
import { when } from './util.js';

const EDITORS = ['admin', 'supervisor', 'qa', 'backoffice'];

// The flat category list as el-tree's nested nodes.
function treeOf(flat) {
  const byId = {}, roots = [];
  flat.forEach(c => { byId[c.id] = { ...c, children: [] }; });
  flat.forEach(c => (c.parent_id && byId[c.parent_id] ? byId[c.parent_id].children : roots).push(byId[c.id]));
  return roots;
}

export default {
  setup() {
    const editor = EDITORS.includes(session.user.role);
    const cats = ref([]), cat = ref(''), list = ref([]), popular = ref([]);
    const q = ref(''), hits = ref(null), article = ref(null), versions = ref(null), old = ref(null);
    const form = ref(null), busy = ref(false);
    const tree = computed(() => treeOf(cats.value));
    const catName = id => (cats.value.find(c => c.id === id) || {}).name || t('kb.uncategorised');

    const fail = e => { if (e && e.message) ElMessage.error(e.message); };
    const loadCats = async () => { try { cats.value = (await get('/api/v1/kb/categories')).items; } catch (e) { fail(e); } };
    const loadList = async () => {
      try {
        list.value = (await get('/api/v1/kb/articles?limit=100' + (cat.value ? '&category=' + cat.value : ''))).items;
        popular.value = (await get('/api/v1/kb/popular?limit=5')).items;
      } catch (e) { fail(e); }
    };
    const search = async () => {
      if (!q.value.trim()) { hits.value = null; return; }
      try { hits.value = (await get('/api/v1/kb/search?limit=50&q=' + encodeURIComponent(q.value.trim()))).items; }
      catch (e) { fail(e); }
    };
    const open = async id => {
      try { article.value = await get('/api/v1/kb/articles/' + id); } catch (e) { fail(e); }
    };
    const vote = async useful => {
      try {
        const r = await post('/api/v1/kb/articles/' + article.value.id + '/vote', { useful });
        Object.assign(article.value, r);
      } catch (e) { fail(e); }
    };
    const pick = node => { cat.value = node ? node.id : ''; hits.value = null; q.value = ''; loadList(); };

    // Categories (editors).
    const askName = async (title, value) => (await ElMessageBox.prompt(t('kb.catName'), title,
      { inputValue: value || '', inputPattern: /\S/, confirmButtonText: t('common.ok'),
        cancelButtonText: t('common.cancel') })).value;
    const addCat = async parent => {
      try {
        const name = await askName(t('kb.addCat'));
        await post('/api/v1/kb/categories', parent ? { name, parent_id: parent.id } : { name });
        loadCats();
      } catch (e) { fail(e); }
    };
    const renameCat = async c => {
      try { await put('/api/v1/kb/categories/' + c.id, { name: await askName(t('kb.rename'), c.name) }); loadCats(); }
      catch (e) { fail(e); }
    };
    const deleteCat = async c => {
      try {
        await ElMessageBox.confirm(c.name, t('common.delete'), { type: 'warning' });
        await del('/api/v1/kb/categories/' + c.id);
        if (cat.value === c.id) cat.value = '';
        loadCats();
      } catch (e) { fail(e); }
    };

    // Writing (editors).
    const edit = a => {
      form.value = a ? { id: a.id, version: a.version, title: a.title, body: a.body, status: a.status,
        category_id: a.category_id || '', tags: [...a.tags] }
        : { title: '', body: '', status: 'draft', category_id: cat.value, tags: [] };
    };
    const save = async () => {
      const f = form.value, body = { title: f.title, body: f.body, status: f.status,
        category_id: f.category_id || null, tags: f.tags };
      busy.value = true;
      try {
        const a = f.id ? await put('/api/v1/kb/articles/' + f.id, { ...body, version: f.version })
          : await post('/api/v1/kb/articles', body);
        form.value = null;
        ElMessage.success(t('kb.saved'));
        await Promise.all([loadList(), loadCats()]);
        open(a.id);
      } catch (e) { fail(e); } finally { busy.value = false; }
    };
    const remove = async () => {
      try {
        await ElMessageBox.confirm(article.value.title, t('common.delete'), { type: 'warning' });
        await del('/api/v1/kb/articles/' + article.value.id);
        article.value = null;
        loadList(); loadCats();
      } catch (e) { fail(e); }
    };
    const showVersions = async () => {
      try { versions.value = (await get('/api/v1/kb/articles/' + article.value.id + '/versions')).items; old.value = null; }
      catch (e) { fail(e); }
    };
    const readVersion = async v => {
      try { old.value = await get('/api/v1/kb/articles/' + article.value.id + '/versions/' + v.version); }
      catch (e) { fail(e); }
    };

    let timer = null;
    watch(q, () => { clearTimeout(timer); timer = setTimeout(search, 250); });
    onMounted(() => { loadCats(); loadList(); });
    return { editor, cats, cat, tree, list, popular, q, hits, article, versions, old, form, busy,
      catName, pick, open, vote, addCat, renameCat, deleteCat, edit, save, remove, showVersions,
      readVersion, renderMarkdown, when, t };
  },
  template: `
  <div class="kb">
    <el-row :gutter="12">
      <el-col :span="5">
        <el-card shadow="never" class="kb-cats">
          <template #header><b>{{ t('kb.tree') }}</b>
            <el-button v-if="editor" size="small" link type="primary" class="right btn-add-cat" @click="addCat(null)">＋</el-button></template>
          <div class="kb-all" :class="{ on: !cat }" @click="pick(null)">{{ t('kb.all') }}</div>
          <el-tree :data="tree" node-key="id" default-expand-all :expand-on-click-node="false" highlight-current
                   :props="{ label: 'name', children: 'children' }" @node-click="pick" :empty-text="t('kb.noCats')">
            <template #default="{ data }">
              <span class="kb-cat"><span>{{ data.name }}</span><span class="muted">{{ data.articles }}</span>
                <span v-if="editor" class="kb-cat-ops">
                  <el-button size="small" link @click.stop="addCat(data)">＋</el-button>
                  <el-button size="small" link @click.stop="renameCat(data)">✎</el-button>
                  <el-button size="small" link type="danger" @click.stop="deleteCat(data)">✕</el-button>
                </span></span>
            </template>
          </el-tree>
        </el-card>
      </el-col>
      <el-col :span="7">
        <el-card shadow="never" class="kb-list">
          <template #header><div class="row">
            <el-input v-model="q" :placeholder="t('kb.searchHint')" clearable class="kb-q" />
            <el-button v-if="editor" type="primary" class="btn-new-article" @click="edit(null)">{{ t('kb.new') }}</el-button>
          </div></template>
          <template v-if="hits">
            <div class="muted">{{ t('kb.hits', { n: hits.length }) }}</div>
            <div v-for="h in hits" :key="h.id" class="kb-hit" :class="{ on: article && article.id === h.id }" @click="open(h.id)">
              <div class="kb-hit-title">{{ h.title }} <el-tag v-if="h.status === 'draft'" size="small" type="info">{{ t('kb.draft') }}</el-tag></div>
              <div class="kb-snippet" v-html="h.snippet"></div>
            </div>
          </template>
          <template v-else>
            <div v-if="!cat && popular.length" class="kb-popular">
              <div class="section-title">{{ t('kb.popular') }}</div>
              <div v-for="p in popular" :key="p.id" class="kb-pop" @click="open(p.id)">
                <span>{{ p.title }}</span><span class="muted">{{ t('kb.reads', { n: p.reads }) }}</span></div>
            </div>
            <div class="section-title">{{ cat ? catName(cat) : t('kb.latest') }}</div>
            <div v-for="a in list" :key="a.id" class="kb-item" :class="{ on: article && article.id === a.id }" @click="open(a.id)">
              <div class="kb-hit-title">{{ a.title }} <el-tag v-if="a.status === 'draft'" size="small" type="info">{{ t('kb.draft') }}</el-tag></div>
              <div class="muted">{{ when(new Date(a.updated_at).toISOString()) }} · {{ a.updated_by }} · {{ t('kb.up') }} {{ a.up }}</div>
            </div>
            <div v-if="!list.length" class="muted">{{ t('kb.none') }}</div>
          </template>
        </el-card>
      </el-col>
      <el-col :span="12">
        <el-card shadow="never" class="kb-reader">
          <div v-if="!article" class="idle">{{ t('kb.pick') }}</div>
          <template v-else>
            <div class="row"><h2 class="kb-title">{{ article.title }}</h2><span class="spacer"></span>
              <template v-if="editor">
                <el-button size="small" @click="edit(article)" class="btn-edit">{{ t('kb.edit') }}</el-button>
                <el-button size="small" @click="showVersions" class="btn-versions">{{ t('kb.versions') }}</el-button>
                <el-button size="small" type="danger" plain @click="remove">{{ t('common.delete') }}</el-button>
              </template></div>
            <div class="kb-meta muted">
              <el-tag v-if="article.status === 'draft'" size="small" type="info">{{ t('kb.draft') }}</el-tag>
              {{ catName(article.category_id) }} · v{{ article.version }} · {{ article.updated_by }}
              · {{ when(new Date(article.updated_at).toISOString()) }} · {{ t('kb.reads', { n: article.reads }) }}
              <el-tag v-for="g in article.tags" :key="g" size="small" class="kb-tag">{{ g }}</el-tag>
            </div>
            <div class="kb-body" v-html="renderMarkdown(article.body)"></div>
            <div v-if="article.links.length || article.linked_from.length" class="kb-links">
              <span class="muted">{{ t('kb.links') }}:</span>
              <template v-for="l in article.links" :key="l.kind + l.target">
                <el-link v-if="l.kind === 'article' && l.title" type="primary" @click="open(l.target)">{{ l.title }}</el-link>
                <el-tag v-else size="small" type="info">{{ t('kb.kind.' + l.kind) }} {{ l.target }}</el-tag>
              </template>
              <el-link v-for="a in article.linked_from" :key="a.id" type="primary" @click="open(a.id)">← {{ a.title }}</el-link>
            </div>
            <div class="kb-vote">
              <span>{{ t('kb.useful') }}</span>
              <el-button size="small" :type="article.my_vote === 'up' ? 'success' : ''" @click="vote(true)" class="btn-up">{{ t('kb.up') }} {{ article.up }}</el-button>
              <el-button size="small" :type="article.my_vote === 'down' ? 'danger' : ''" @click="vote(false)" class="btn-down">{{ t('kb.down') }} {{ article.down }}</el-button>
            </div>
          </template>
        </el-card>
      </el-col>
    </el-row>

    <el-dialog v-if="form" :model-value="true" @close="form = null" :title="form.id ? t('kb.edit') : t('kb.new')" width="90%" top="3vh" class="kb-editor">
      <el-form label-width="80px" @submit.prevent>
        <el-form-item :label="t('kb.title')"><el-input v-model="form.title" maxlength="200" class="kb-f-title" /></el-form-item>
        <el-form-item :label="t('kb.category')">
          <el-select v-model="form.category_id" clearable style="width: 200px" :placeholder="t('kb.uncategorised')">
            <el-option v-for="c in cats" :key="c.id" :value="c.id" :label="c.name" /></el-select>
          <el-select v-model="form.tags" multiple filterable allow-create default-first-option :placeholder="t('kb.tags')"
                     style="width: 260px; margin-left: 12px" class="kb-f-tags" />
          <el-radio-group v-model="form.status" style="margin-left: 12px" class="kb-f-status">
            <el-radio-button value="draft">{{ t('kb.draft') }}</el-radio-button>
            <el-radio-button value="published">{{ t('kb.published') }}</el-radio-button>
          </el-radio-group>
        </el-form-item>
        <el-row :gutter="12">
          <el-col :span="12"><el-input v-model="form.body" type="textarea" :rows="16" class="kb-f-body" :placeholder="t('kb.bodyHint')" /></el-col>
          <el-col :span="12"><div class="kb-body kb-preview" v-html="renderMarkdown(form.body)"></div></el-col>
        </el-row>
      </el-form>
      <template #footer>
        <el-button @click="form = null">{{ t('common.cancel') }}</el-button>
        <el-button type="primary" :loading="busy" :disabled="!form.title.trim()" @click="save" class="btn-save">{{ t('kb.save') }}</el-button>
      </template>
    </el-dialog>

    <el-dialog v-if="versions" :model-value="true" @close="versions = null" :title="t('kb.versions')" width="80%" class="kb-versions">
      <el-row :gutter="12">
        <el-col :span="9">
          <el-table :data="versions" size="small" highlight-current-row @row-click="readVersion">
            <el-table-column label="v" prop="version" width="50" />
            <el-table-column :label="t('kb.status')" width="80"><template #default="s">{{ t('kb.' + s.row.status) }}</template></el-table-column>
            <el-table-column :label="t('kb.savedBy')" prop="saved_by" />
            <el-table-column :label="t('kb.savedAt')"><template #default="s">{{ when(new Date(s.row.saved_at).toISOString()).slice(5) }}</template></el-table-column>
          </el-table>
        </el-col>
        <el-col :span="15">
          <div v-if="old"><h3>{{ old.title }} (v{{ old.version }})</h3><div class="kb-body" v-html="renderMarkdown(old.body)"></div></div>
          <div v-else class="muted">{{ t('kb.pickVersion') }}</div>
        </el-col>
      </el-row>
    </el-dialog>
  </div>`,
};
