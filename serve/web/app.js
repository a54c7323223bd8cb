// The page of matdiff serve: it sends the form to POST /api/derive and
// shows the answer as typeset math (KaTeX), text, LaTeX, the derivation
// and generated code. The form is mirrored in the URL, so that a link
// reproduces a result.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const texts = ["wrt", "expr"];
  const lists = ["sym", "scalar", "vector", "matrix"];
  const flags = ["cse", "check"];
  let latest = 0; // number of the latest request: older answers are dropped
  let last = null; // the latest request and its answer

  // fromURL fills the form from the query string and says whether it
  // holds a request.
  function fromURL() {
    const q = new URLSearchParams(location.search);
    for (const f of texts.concat(lists)) {
      if (q.has(f)) $(f).value = q.getAll(f).join(", ");
    }
    if (q.get("layout") === "numerator") $("layout").value = "numerator";
    for (const f of flags) $(f).checked = q.get(f) === "1" || q.get(f) === "true";
    if (q.has("lang")) $("lang").value = q.get("lang");
    return q.has("wrt") && q.has("expr");
  }

  // toURL writes the form into the query string.
  function toURL(r) {
    const q = new URLSearchParams();
    q.set("wrt", r.wrt);
    q.set("expr", r.expr);
    for (const f of lists) if (r[f]) q.set(f, r[f].join(","));
    if (r.layout !== "denominator") q.set("layout", r.layout);
    for (const f of flags) if (r[f]) q.set(f, "1");
    if ($("lang").value !== "numpy") q.set("lang", $("lang").value);
    const tab = document.querySelector('[role="tab"][aria-selected="true"]');
    if (tab && tab.id !== "tab-text") q.set("tab", tab.id.replace("tab-", ""));
    history.replaceState(null, "", "?" + q.toString());
  }

  function names(s) {
    return s.split(/[\s,]+/).filter(Boolean);
  }

  function request() {
    const r = { wrt: $("wrt").value.trim(), expr: $("expr").value, layout: $("layout").value, steps: true };
    for (const f of lists) {
      const n = names($(f).value);
      if (n.length) r[f] = n;
    }
    for (const f of flags) r[f] = $(f).checked;
    return r;
  }

  async function post(path, body) {
    const res = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    let answer;
    try {
      answer = await res.json();
    } catch (e) {
      answer = { error: "the server answered " + res.status + " without JSON" };
    }
    return { status: res.status, ok: res.ok, answer: answer };
  }

  async function derive() {
    const r = request();
    if (!r.wrt || !r.expr.trim()) {
      showError(!r.wrt ? "Write the variable to differentiate by." : "Write an expression.", null, "");
      (r.wrt ? $("expr") : $("wrt")).focus();
      return;
    }
    toURL(r);
    const n = ++latest;
    $("status").textContent = "Differentiating…";
    $("go").disabled = true;
    let res;
    try {
      res = await post("api/derive", r);
    } catch (e) {
      res = { ok: false, answer: { error: "the server did not answer: " + e.message } };
    }
    if (n !== latest) return;
    $("go").disabled = false;
    if (!res.ok) {
      showError(res.answer.error, res.answer.column, r.expr);
      return;
    }
    last = { request: r, answer: res.answer };
    show(res.answer);
    $("status").textContent = "Done: " + res.answer.result;
    generate();
  }

  function showError(msg, column, src) {
    $("answer").hidden = true;
    $("status").textContent = "";
    $("error").hidden = false;
    $("error-text").textContent = msg;
    let caret = "";
    if (column && src.indexOf("\n") < 0) {
      caret = "  " + src + "\n  " + " ".repeat(column - 1) + "^";
    }
    $("error-caret").textContent = caret;
    $("error-caret").hidden = caret === "";
  }

  function tex(el, latex) {
    if (window.katex) {
      try {
        katex.render(latex, el, { displayMode: true, throwOnError: false });
        return;
      } catch (e) {
        // fall through to the source
      }
    }
    el.textContent = latex;
  }

  function show(a) {
    $("error").hidden = true;
    $("answer").hidden = false;

    // Typeset: the expression and its derivative, as the derivation names them.
    const steps = a.steps || [];
    const math = $("math");
    math.textContent = "";
    let lhs = "";
    if (steps.length > 0) {
      const def = document.createElement("div");
      tex(def, steps[0].latex);
      math.appendChild(def);
      lhs = steps[steps.length - 1].latex.split(" = ")[0] + " = ";
    }
    const res = document.createElement("div");
    tex(res, lhs + a.latex);
    math.appendChild(res);
    const temps = a.temporaries || [];
    const all = [a.latex].concat(temps.map((t) => t.latex)).join(" ");
    const where = temps.map((t) => "\\text{where } " + nameLaTeX(t.name, all) + " = " + t.latex);
    for (const w of where) {
      const d = document.createElement("div");
      tex(d, w);
      math.appendChild(d);
    }

    // Text and LaTeX.
    $("result").textContent = a.result;
    $("temporaries").hidden = temps.length === 0;
    $("temporaries").textContent = temps.map((t) => "where " + t.name + " = " + t.expr).join("\n");
    $("latex").textContent = [a.latex].concat(where).join("\n");

    // The derivation.
    const ol = $("steps");
    ol.textContent = "";
    for (const s of steps) {
      const li = document.createElement("li");
      const m = document.createElement("div");
      tex(m, s.latex);
      li.appendChild(m);
      if (s.rule) {
        const rule = document.createElement("span");
        rule.className = "rule";
        rule.textContent = s.rule + (s.node ? " on " + s.node : "");
        li.appendChild(rule);
      }
      ol.appendChild(li);
    }
    $("steps-text").textContent = steps.map((s) => s.expr + (s.rule ? "   [" + s.rule + "]" : "")).join("\n");

    // The check and the warnings.
    const rep = $("check-report");
    rep.hidden = !a.check;
    if (a.check) {
      rep.textContent = "Numeric check: " + a.check.report;
      rep.className = a.check.ok ? "ok" : "mismatch";
    }
    const warn = $("warnings");
    warn.textContent = "";
    for (const w of a.warnings || []) {
      const li = document.createElement("li");
      li.textContent = "warning: " + w;
      warn.appendChild(li);
    }
    warn.hidden = warn.children.length === 0;

    // Shapes: every variable, then the derivative.
    const body = $("shapes").tBodies[0];
    body.textContent = "";
    const row = (name, kind, shape) => {
      const tr = body.insertRow();
      for (const v of [name, kind, shape]) tr.insertCell().textContent = v;
    };
    for (const [name, v] of Object.entries(a.variables || {})) row(name, v.kind, shapeText(v.shape));
    row("derivative by " + a.wrt, "", shapeText(a.shape));
  }

  // nameLaTeX is the LaTeX of a temporary's name, t_{0} for a scalar and
  // \mathbf{t}_{0} otherwise, as it is written in the LaTeX all.
  function nameLaTeX(name, all) {
    const m = /^([a-z]+)(\d+)$/.exec(name);
    if (!m) return name;
    const bold = "\\mathbf{" + m[1] + "}_{" + m[2] + "}";
    return all.includes(bold) ? bold : m[1] + "_{" + m[2] + "}";
  }

  function shapeText(s) {
    return s ? s[0] + "×" + s[1] : "";
  }

  // generate fills the Code tab from /api/codegen; a server without code
  // generation answers 404.
  async function generate() {
    if (!last) return;
    const code = $("code");
    const r = Object.assign({}, last.request, { lang: $("lang").value });
    for (const f of ["steps", "check", "cse", "layout"]) delete r[f];
    const n = latest;
    let res;
    try {
      res = await post("api/codegen", r);
    } catch (e) {
      res = { ok: false, answer: { error: "the server did not answer: " + e.message } };
    }
    if (n !== latest) return;
    if (res.status === 404) {
      $("lang-field").hidden = true;
      code.textContent = "This server has no code generation.";
      $("copy-code").hidden = true;
      return;
    }
    $("lang-field").hidden = false;
    code.textContent = res.ok ? res.answer.code : "No code: " + res.answer.error;
    $("copy-code").hidden = !res.ok;
  }

  // Tabs: click, or the arrow keys, Home and End on the tab list. The
  // open tab is in the URL (tab=latex) too.
  function tabs() {
    const list = Array.from(document.querySelectorAll('[role="tab"]'));
    const select = (tab, focus) => {
      for (const t of list) {
        const on = t === tab;
        t.setAttribute("aria-selected", on ? "true" : "false");
        t.tabIndex = on ? 0 : -1;
        $(t.getAttribute("aria-controls")).hidden = !on;
      }
      if (focus) {
        tab.focus();
        const q = new URLSearchParams(location.search);
        q.set("tab", tab.id.replace("tab-", ""));
        history.replaceState(null, "", "?" + q.toString());
      }
    };
    for (const t of list) {
      t.addEventListener("click", () => select(t, true));
      t.addEventListener("keydown", (ev) => {
        const i = list.indexOf(t);
        const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: list.length - 1 }[ev.key];
        if (next === undefined) return;
        ev.preventDefault();
        select(list[(next + list.length) % list.length], true);
      });
    }
    const want = $("tab-" + new URLSearchParams(location.search).get("tab"));
    if (want && list.includes(want)) select(want, false);
  }

  function copies() {
    for (const b of document.querySelectorAll("button.copy")) {
      b.addEventListener("click", async () => {
        const el = $(b.dataset.copy === "text" ? "result" : b.dataset.copy);
        let text = el.textContent;
        if (b.dataset.copy === "text" && !$("temporaries").hidden) text += "\n" + $("temporaries").textContent;
        try {
          await navigator.clipboard.writeText(text);
          $("status").textContent = "Copied.";
        } catch (e) {
          const range = document.createRange();
          range.selectNodeContents(el);
          const sel = getSelection();
          sel.removeAllRanges();
          sel.addRange(range);
          $("status").textContent = "Selected: copy it with your keyboard.";
        }
      });
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    tabs();
    copies();
    $("form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      derive();
    });
    $("lang").addEventListener("change", () => {
      if (last) toURL(last.request);
      generate();
    });
    if (fromURL()) {
      derive();
    } else {
      $("wrt").focus();
    }
  });
})();
