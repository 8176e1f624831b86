// briefgen preview: follows build events and swaps in the new render without reloading the page.
// All text from builds is inserted with textContent (never as markup).
"use strict";
(function () {
  const frame = document.getElementById("doc");
  const pages = document.getElementById("pages");
  const status = document.getElementById("status");
  const errors = document.getElementById("errors");
  const list = document.getElementById("error-list");
  let shownDoc = null;
  let shownPages = "";
  let scrollY = 0;

  frame.addEventListener("load", function () {
    try { frame.contentWindow.scrollTo(0, scrollY); } catch (e) { /* not loaded yet */ }
  });

  function showErrors(items) {
    list.replaceChildren();
    for (const p of items) {
      const box = document.createElement("div");
      box.className = "problem";
      const msg = document.createElement("p");
      msg.className = "msg";
      msg.textContent = p.message;
      box.appendChild(msg);
      if (p.excerpt && p.excerpt.length) {
        const pre = document.createElement("pre");
        for (const line of p.excerpt) {
          const row = document.createElement("span");
          if (line.at) row.className = "at";
          const n = document.createElement("span");
          n.className = "ln";
          n.textContent = String(line.n);
          row.appendChild(n);
          row.appendChild(document.createTextNode(line.text + "\n"));
          pre.appendChild(row);
        }
        box.appendChild(pre);
      }
      list.appendChild(box);
    }
    errors.hidden = items.length === 0;
  }

  function showPages(urls) {
    const key = urls.join(" ");
    if (key === shownPages) return;
    shownPages = key;
    pages.replaceChildren();
    urls.forEach(function (u, i) {
      const img = document.createElement("img");
      img.src = u;
      img.alt = "PDF 第" + (i + 1) + "页";
      img.loading = "lazy";
      pages.appendChild(img);
    });
  }

  function update(s) {
    if (s.doc && s.doc !== shownDoc) {
      try { scrollY = frame.contentWindow.scrollY || 0; } catch (e) { scrollY = 0; }
      shownDoc = s.doc;
      frame.src = s.doc;
    }
    showPages(s.pages || []);
    showErrors(s.errors || []);
    status.classList.toggle("failed", !s.ok);
    if (s.building) {
      status.textContent = "正在生成……";
    } else {
      status.textContent = s.ok ? "已生成（第" + s.version + "次，" + s.seconds + " 秒）"
                                : "生成失败（第" + s.version + "次）";
    }
    document.body.dataset.version = String(s.version);
  }

  const source = new EventSource("/events");
  source.addEventListener("build", function (ev) { update(JSON.parse(ev.data)); });
  source.addEventListener("error", function () { status.textContent = "与预览服务器的连接中断，正在重连……"; });
})();
