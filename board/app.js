// The duty board (issue 24): what a duty manager keeps open for a shift. Preact + htm as ES modules, served by
// the server from node_modules (no build step); graphql-ws's browser client for the live panes.

import htm from 'htm';
import { h, render } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { gql, liveClient, resumable, session, whenSignedOut } from './api.js';
import {
  ACTION,
  ALERT,
  CATEGORY,
  CHANNEL,
  CLOCK,
  CLOCK_STATE,
  label,
  SEVERITY,
  STATUS,
  time,
  when,
} from './labels.js';
import { operations } from './queries.js';

const html = htm.bind(h);

/** Rows each live pane keeps (newest first). */
const KEEP = 200;

/** The board's GraphQL operations by name (queries.js). */
const op = operations();

// ------------------------------------------------------------------------------------------- helpers

const actorName = (a) => (a == null ? '系统' : (a.displayName ?? a.name ?? '—'));
const caseHref = (c) => `#case=${encodeURIComponent(c.id)}`;
const caseFromHash = () => {
  const m = /^#case=(.+)$/.exec(location.hash);
  return m ? decodeURIComponent(m[1]) : null;
};

/** A list of live rows, newest first, each cursor once (a replay after a reconnect never shows a row twice). */
function useRows() {
  const [rows, setRows] = useState([]);
  const seen = useRef(new Set());
  const add = useCallback((item) => {
    const key = item.cursor ?? `${item.at}|${JSON.stringify(item)}`;
    if (seen.current.has(key)) return false;
    seen.current.add(key);
    // A shift is long: remember the cursors of the last few thousand rows, far more than a replay can repeat.
    if (seen.current.size > 20 * KEEP) seen.current = new Set([...seen.current].slice(-10 * KEEP));
    setRows((old) => [item, ...old].slice(0, KEEP));
    return true;
  }, []);
  return [rows, add];
}

function Severity({ value }) {
  if (!value) return null;
  return html`<span class=${`sev sev-${value.toLowerCase()}`}>${label(SEVERITY, value)}</span>`;
}

function CaseLink({ c }) {
  return html`<a class="case" href=${caseHref(c)} data-case=${c.number}>${c.number}</a>`;
}

// ------------------------------------------------------------------------------------------- sign-in

function SignIn({ notice, onSignedIn }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(notice ?? '');
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const data = await gql(op.LOGIN, { u: username, p: password });
      const { token, userErrors } = data.login;
      if (!token) throw new Error(userErrors.map((x) => x.message).join('；') || '登录失败');
      session.set(token);
      onSignedIn();
    } catch (err) {
      setError(err.message);
    } finally {
      setBusy(false);
    }
  };
  return html`<main class="signin">
    <form onSubmit=${submit} aria-label="登录">
      <h1>值班看板</h1>
      <p class="muted">投诉处理平台 · 值班经理</p>
      <label>用户名<input name="username" autocomplete="username" value=${username} onInput=${(e) => setUsername(e.target.value)} required /></label>
      <label>密码<input name="password" type="password" autocomplete="current-password" value=${password} onInput=${(e) => setPassword(e.target.value)} required /></label>
      ${error && html`<p class="error" role="alert">${error}</p>`}
      <button type="submit" disabled=${busy}>${busy ? '正在登录…' : '登录'}</button>
    </form>
  </main>`;
}

// ------------------------------------------------------------------------------------------- briefing

function Figure({ name, value, tone, id }) {
  return html`<div class=${`figure ${value > 0 && tone ? tone : ''}`} data-figure=${id}>
    <span class="value">${value}</span><span class="name">${name}</span>
  </div>`;
}

function Briefing({ briefing, error }) {
  if (!briefing)
    return html`<section class="pane briefing"><h2>值班简报</h2><p class="muted">${error || '正在读取…'}</p></section>`;
  const b = briefing;
  const open = b.openByStatus.reduce((n, s) => n + s.count, 0);
  return html`<section class="pane briefing" aria-label="值班简报">
    <h2>值班简报 <small>${b.unit.name}</small></h2>
    ${b.warnings.map((w) => html`<p class="warning" role="alert">⚠ ${w}</p>`)}
    <div class="figures">
      <${Figure} id="open" name="在办" value=${open} />
      <${Figure} id="overdue" name="超时" value=${b.overdue} tone="bad" />
      <${Figure} id="majorOpen" name="重大/紧急在办" value=${b.majorOpen} tone="bad" />
      <${Figure} id="escalated" name="已升级" value=${b.escalated} tone="warn" />
      <${Figure} id="receivedToday" name="今日受理" value=${b.receivedToday} />
      <${Figure} id="supervisedOverdue" name="督办超期" value=${b.supervisedOverdue} tone="bad" />
      <${Figure} id="openIncidents" name="重大问题" value=${b.openIncidents} tone="bad" />
    </div>
    <h3>在办状态</h3>
    <ul class="bars">
      ${b.openByStatus.map(
        (
          s,
        ) => html`<li data-status=${s.status}><span>${label(STATUS, s.status)}</span><b>${s.count}</b>
          <i style=${`width:${open ? Math.round((100 * s.count) / open) : 0}%`}></i></li>`,
      )}
    </ul>
    <h3>主要类别</h3>
    <ol class="cats">
      ${b.topCategories.map((c) => html`<li><span>${label(CATEGORY, c.category)}</span><b>${c.count}</b></li>`)}
    </ol>
  </section>`;
}

// ------------------------------------------------------------------------------------------- live panes

function FeedPane({ rows }) {
  return html`<section class="pane feed" aria-label="事件流">
    <h2>事件流 <small>${rows.length ? `最近 ${rows.length} 条` : ''}</small></h2>
    ${rows.length === 0 && html`<p class="muted">暂无新事件</p>`}
    <ol class="rows" id="feed">
      ${rows.map(
        (
          e,
        ) => html`<li key=${e.cursor} data-cursor=${e.cursor} data-number=${e.complaint.number} data-action=${e.action}
            class=${e.action.startsWith('SLA_') ? 'alert' : ''}>
          <time>${time(e.at)}</time>
          <${CaseLink} c=${e.complaint} />
          <${Severity} value=${e.complaint.severity} />
          <span class="action">${label(ACTION, e.action)}</span>
          <span class="move">${e.fromStatus && e.fromStatus !== e.toStatus ? `${label(STATUS, e.fromStatus)} → ` : ''}${label(STATUS, e.toStatus)}</span>
          <span class="who">${actorName(e.actor)}</span>
          <span class="title">${e.complaint.title}</span>
        </li>`,
      )}
    </ol>
  </section>`;
}

function AlertsPane({ rows }) {
  return html`<section class="pane alerts" aria-label="时限告警">
    <h2>时限告警</h2>
    ${rows.length === 0 && html`<p class="muted">暂无告警</p>`}
    <ol class="rows" id="alerts">
      ${rows.map(
        (
          a,
        ) => html`<li key=${a.cursor} data-cursor=${a.cursor} data-number=${a.complaint.number} class=${`kind-${a.kind.toLowerCase()}`}>
          <time>${time(a.at)}</time>
          <span class="kind">${label(ALERT, a.kind)}</span>
          <${CaseLink} c=${a.complaint} />
          <${Severity} value=${a.complaint.severity} />
          <span class="clock">${label(CLOCK, a.clock)}时限 ${when(a.dueAt)}</span>
          <span class="title">${a.complaint.title}</span>
        </li>`,
      )}
    </ol>
  </section>`;
}

/** One hotspot alert's identity: D76 raises at most one per unit, business line and clock hour. */
const hotspotKey = (x) => `${x.unit.id}|${x.businessLine?.code ?? ''}|${x.windowStart}`;

/** Surges of registrations (D76), newest first, each with a button that opens an incident for it. */
function HotspotsPane({ rows, onOpened }) {
  const [done, setDone] = useState({});
  const open = async (x) => {
    const key = hotspotKey(x);
    const title =
      `${x.unit.name} ${x.businessLine?.name ?? ''} ${x.category ? label(CATEGORY, x.category) : ''} 投诉激增`
        .replace(/\s+/g, ' ')
        .trim();
    setDone((d) => ({ ...d, [key]: { busy: true, text: '正在立案…' } }));
    try {
      const r = await gql(op.OPEN_INCIDENT, {
        input: { title, category: x.category, unitIds: [x.unit.id], startedAt: x.windowStart },
      });
      const errs = r.openIncident.userErrors;
      setDone((d) => ({
        ...d,
        [key]: errs.length
          ? { ok: false, text: errs.map((e) => e.message).join('；') }
          : { ok: true, text: '已立案' },
      }));
      if (!errs.length) onOpened();
    } catch (err) {
      setDone((d) => ({ ...d, [key]: { ok: false, text: err.message } }));
    }
  };
  return html`<section class="pane hotspots" aria-label="热点预警">
    <h2>热点预警</h2>
    ${rows.length === 0 && html`<p class="muted">暂无热点</p>`}
    <ol class="rows" id="hotspots">
      ${rows.map((x) => {
        const key = hotspotKey(x);
        const d = done[key];
        return html`<li key=${key} data-unit=${x.unit.code} data-line=${x.businessLine?.code ?? ''} data-count=${x.count}>
          <time>${time(x.at)}</time>
          <span class="unit">${x.unit.name}</span>
          <span>${x.businessLine?.name ?? '未分业务'}${x.category ? ` · ${label(CATEGORY, x.category)}` : ''}</span>
          <b class="count">${x.count} 件</b><span class="muted">（基线 ${x.baseline.toFixed(1)}）</span>
          ${d && !d.ok ? html`<span class=${d.busy ? 'muted' : 'error'}>${d.text}</span>` : null}
          ${
            d?.ok
              ? html`<span class="result">${d.text}</span>`
              : html`<button type="button" disabled=${!!d?.busy} onClick=${() => open(x)}>立案重大问题</button>`
          }
        </li>`;
      })}
    </ol>
  </section>`;
}

// ------------------------------------------------------------------------------------------- case drawer

function Drawer({ id, onClose }) {
  const [c, setCase] = useState(null);
  const [error, setError] = useState('');
  const [note, setNote] = useState('');
  const [result, setResult] = useState(null);
  const load = useCallback(async () => {
    try {
      const data = await gql(op.CASE, { id });
      if (!data.complaint) setError('找不到该工单，或无权查看');
      setCase(data.complaint);
    } catch (err) {
      setError(err.message);
    }
  }, [id]);
  useEffect(() => {
    setCase(null);
    setError('');
    setResult(null);
    void load();
  }, [load]);
  useEffect(() => {
    const esc = (e) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', esc);
    return () => window.removeEventListener('keydown', esc);
  }, [onClose]);

  const act = async (mutation, field, input) => {
    setResult(null);
    try {
      const data = await gql(mutation, {
        input: { id: c.id, expectedVersion: c.version, ...input },
      });
      const errs = data[field].userErrors;
      if (errs.length) return setResult({ ok: false, text: errs.map((e) => e.message).join('；') });
      setNote('');
      setResult({ ok: true, text: '已提交' });
      await load();
    } catch (err) {
      setResult({ ok: false, text: err.message });
    }
  };

  const events = c ? [...c.timeline.edges].reverse() : [];
  return html`<aside class="drawer" role="dialog" aria-label="工单详情">
    <header>
      <h2>${c ? c.number : '工单'}</h2>
      <button type="button" class="close" onClick=${onClose} aria-label="关闭">×</button>
    </header>
    ${error && html`<p class="error">${error}</p>`}
    ${!c && !error && html`<p class="muted">正在读取…</p>`}
    ${
      c &&
      html`<div class="case-body">
      <h3 class="case-title">${c.title} <${Severity} value=${c.severity} /></h3>
      <dl class="facts">
        <dt>状态</dt><dd data-field="status">${label(STATUS, c.status)}${c.suspended ? '（挂起）' : ''}${c.escalationLevel ? `（已升级 ${c.escalationLevel} 级）` : ''}</dd>
        <dt>类别</dt><dd>${c.businessLine?.name ?? '—'} · ${label(CATEGORY, c.category)}</dd>
        <dt>渠道</dt><dd>${label(CHANNEL, c.channel)}</dd>
        <dt>登记</dt><dd>${when(c.registeredAt)}</dd>
        <dt>处理单位</dt><dd>${c.handlingUnit?.name ?? '—'}</dd>
        <dt>客户</dt><dd data-field="customer">${c.customer.name ?? '—'} · ${c.customer.phone ?? '—'}${c.customer.masked ? html` <span class="muted">（已脱敏）</span>` : ''}</dd>
        <dt>地址</dt><dd>${c.customer.address ?? '—'}</dd>
      </dl>
      <p class="description">${c.description}</p>

      <h3>时限</h3>
      <table class="clocks">
        <thead><tr><th>时限</th><th>状态</th><th>开始</th><th>到期</th><th>停止</th></tr></thead>
        <tbody>
          ${c.clocks.map(
            (
              k,
            ) => html`<tr class=${`clock-${k.state.toLowerCase()}`}><td>${label(CLOCK, k.kind)}</td><td>${label(CLOCK_STATE, k.state)}</td>
              <td>${when(k.startedAt)}</td><td>${when(k.dueAt)}</td><td>${when(k.stoppedAt)}</td></tr>`,
          )}
        </tbody>
      </table>

      <h3>可执行操作</h3>
      <p class="actions" data-field="viewerActions">
        ${c.viewerActions.length === 0 ? html`<span class="muted">无</span>` : c.viewerActions.map((a) => html`<span class="chip" data-action=${a}>${label(ACTION, a)}</span>`)}
      </p>
      ${
        (c.viewerActions.includes('ADD_SUPERVISION_NOTE') ||
          c.viewerActions.includes('OPEN_SUPERVISION')) &&
        html`<form class="act" onSubmit=${(e) => (e.preventDefault(), act(op.SUPERVISION_NOTE, 'addSupervisionNote', { note }))}>
        <label>督办意见<textarea name="note" rows="3" maxlength="5000" value=${note} onInput=${(e) => setNote(e.target.value)}></textarea></label>
        <span class="buttons">
          ${c.viewerActions.includes('ADD_SUPERVISION_NOTE') && html`<button type="submit" disabled=${!note.trim()}>添加督办意见</button>`}
          ${
            c.viewerActions.includes('OPEN_SUPERVISION') &&
            html`<button type="button" class="open-supervision" onClick=${() => act(op.OPEN_SUPERVISION, 'openSupervision', { note: note.trim() || undefined })}>发起督办</button>`
          }
        </span>
      </form>`
      }
      ${result && html`<p class=${result.ok ? 'result' : 'result error'} role="status">${result.text}</p>`}

      ${
        c.supervisionNotes.length > 0 &&
        html`<h3>督办意见</h3>
        <ul class="notes">
          ${c.supervisionNotes.map((n) => html`<li><time>${when(n.at)}</time> <b>${n.by.displayName}</b>：${n.note}</li>`)}
        </ul>`
      }

      <h3>处理过程</h3>
      <ol class="timeline">
        ${events.map(
          ({ cursor, node: e }) => html`<li key=${cursor} data-action=${e.action}>
            <time>${when(e.at)}</time> <b>${label(ACTION, e.action)}</b>
            <span class="move">${e.fromStatus && e.fromStatus !== e.toStatus ? `${label(STATUS, e.fromStatus)} → ` : ''}${label(STATUS, e.toStatus)}</span>
            <span class="who">${actorName(e.actor)}</span>
            ${e.note && html`<div class="note">${e.note}</div>`}
          </li>`,
        )}
      </ol>
    </div>`
    }
  </aside>`;
}

// ------------------------------------------------------------------------------------------- the board

const STATUS_TEXT = {
  connecting: '连接中…',
  live: '实时',
  reconnecting: '连接中断，正在重新连接…',
};

function Clock() {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(t);
  }, []);
  // Shanghai wall time, like the API's timestamps.
  return html`<span class="now">${now.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })}</span>`;
}

function Board({ onSignOut }) {
  const [me, setMe] = useState(null);
  const [briefing, setBriefing] = useState(null);
  const [briefingError, setBriefingError] = useState('');
  const [status, setStatus] = useState('connecting');
  const [problem, setProblem] = useState('');
  const [events, addEvent] = useRows();
  const [alerts, addAlert] = useRows();
  const [hotspots, setHotspots] = useState([]);
  const [caseId, setCaseId] = useState(caseFromHash);

  const refresh = useCallback(async () => {
    try {
      setBriefing((await gql(op.BRIEFING)).dutyBriefing);
      setBriefingError('');
    } catch (err) {
      setBriefingError(err.message);
    }
  }, []);

  // The briefing: at once, every minute, and shortly after live events (batched).
  const soon = useRef(null);
  const refreshSoon = useCallback(() => {
    if (soon.current) return;
    soon.current = setTimeout(() => {
      soon.current = null;
      void refresh();
    }, 1_000);
  }, [refresh]);
  // A hotspot alert (D76), newest first, once.
  const addHotspot = useCallback(
    (x) =>
      setHotspots((old) =>
        [x, ...old.filter((o) => hotspotKey(o) !== hotspotKey(x))].slice(0, KEEP),
      ),
    [],
  );
  useEffect(() => {
    void gql(op.ME).then(
      (d) => setMe(d.me),
      () => {},
    );
    void refresh();
    const t = setInterval(refresh, 60_000);
    return () => {
      clearInterval(t);
      clearTimeout(soon.current);
    };
  }, [refresh]);

  // The live panes.
  useEffect(() => {
    const live = liveClient({
      onStatus: (s) => {
        setStatus(s);
        if (s === 'live') setProblem('');
      },
    });
    const subs = [];
    let stopped = false;
    void (async () => {
      let start = null;
      try {
        start = (await gql(op.START)).complaints.nodes.at(-1)?.timeline.edges[0]?.cursor ?? null;
      } catch {
        /* live from now */
      }
      if (stopped) return;
      subs.push(
        resumable(live, {
          query: op.FEED,
          field: 'complaintEvents',
          cursor: start,
          onItem: (e) => addEvent(e) && refreshSoon(),
          onProblem: setProblem,
        }),
        resumable(live, {
          query: op.ALERTS,
          field: 'slaAlerts',
          cursor: start,
          onItem: addAlert,
          onProblem: setProblem,
        }),
        // D76: hotspot alerts carry no cursor; after a drop the pane subscribes again, live from then on.
        resumable(live, {
          query: op.HOTSPOTS,
          field: 'hotspotAlerts',
          onItem: addHotspot,
          onProblem: setProblem,
        }),
      );
    })();
    return () => {
      stopped = true;
      subs.forEach((s) => s.stop());
      live.dispose();
    };
  }, [addEvent, addAlert, addHotspot, refreshSoon]);

  useEffect(() => {
    const onHash = () => setCaseId(caseFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const closeDrawer = useCallback(() => {
    history.replaceState(null, '', location.pathname);
    setCaseId(null);
  }, []);

  const user = me?.__typename === 'User' ? me : null;
  return html`<div class=${`board ${caseId ? 'with-drawer' : ''}`}>
    <header class="top">
      <h1>值班看板</h1>
      <span class="unit">${briefing?.unit.name ?? ''}</span>
      <span class=${`status status-${status}`} id="live-status" data-status=${status} role="status">${STATUS_TEXT[status]}</span>
      ${problem && html`<span class="error" title=${problem}>订阅异常</span>`}
      <span class="spacer"></span>
      <${Clock} />
      <span class="user">${user?.displayName ?? ''}</span>
      <button type="button" onClick=${onSignOut}>退出</button>
    </header>
    <main class="grid">
      <${Briefing} briefing=${briefing} error=${briefingError} />
      <${FeedPane} rows=${events} />
      <div class="side">
        <${AlertsPane} rows=${alerts} />
        <${HotspotsPane} rows=${hotspots} onOpened=${refresh} />
      </div>
    </main>
    ${caseId && html`<${Drawer} id=${caseId} onClose=${closeDrawer} />`}
  </div>`;
}

function App() {
  const [signedIn, setSignedIn] = useState(() => !!session.token);
  const [notice, setNotice] = useState('');
  useEffect(() => {
    whenSignedOut((why) => {
      setNotice(why);
      setSignedIn(false);
    });
  }, []);
  const signOut = useCallback(() => {
    session.clear();
    setNotice('');
    setSignedIn(false);
  }, []);
  return signedIn
    ? html`<${Board} onSignOut=${signOut} />`
    : html`<${SignIn} notice=${notice} onSignedIn=${() => setSignedIn(true)} />`;
}

const root = document.getElementById('board');
root.textContent = ''; // the "loading" line the page shows until this module runs
render(html`<${App} />`, root);
