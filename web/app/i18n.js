// i18n: every string the console shows comes from one catalogue per
// language (zh-CN.js, en.js), looked up by key. Chinese is the default;
// ?lang=en or the switch in the header picks English and is remembered.
import { ref } from 'vue';
import zh from './zh-CN.js';
import en from './en.js';

const catalogues = { 'zh-CN': zh, en };
const KEY = 'hotline.lang';

function initial() {
  const q = new URLSearchParams(location.search).get('lang');
  if (q && catalogues[q]) return q;
  const saved = localStorage.getItem(KEY);
  return catalogues[saved] ? saved : 'zh-CN';
}

export const lang = ref(initial());
document.documentElement.lang = lang.value;

export function setLang(l) {
  if (!catalogues[l]) return;
  lang.value = l;
  localStorage.setItem(KEY, l);
  document.documentElement.lang = l;
}

// The text for key in the current language, {name} filled from params.
// A key missing in English falls back to Chinese, then to the key itself,
// so a gap shows as a word, not as nothing.
export function t(key, params) {
  const s = catalogues[lang.value][key] ?? zh[key] ?? key;
  if (!params) return s;
  return s.replace(/\{(\w+)\}/g, (m, k) => (params[k] ?? m));
}

// Whether the current language's catalogue has key itself (no fallback):
// for words the server also gives in English.
export function has(key) {
  return key in catalogues[lang.value];
}

export const languages = [
  { value: 'zh-CN', label: '中文' },
  { value: 'en', label: 'English' },
];
