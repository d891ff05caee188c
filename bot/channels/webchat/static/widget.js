/* Pandu Izin chat widget: one <script> tag, no framework, no external resources.
 *
 *   <script src="https://BOT/webhooks/webchat/widget.js" data-bot-url="https://BOT"
 *           data-color-primary="#0b5394" data-color-on-primary="#ffffff" defer></script>
 *
 * Talks to its own endpoint on the Rasa server (/webhooks/webchat/webhook, the REST contract). The
 * conversation id is 128 random bits, new on "Mulai ulang". Every piece of text from the bot or the
 * user is inserted with textContent, never as HTML: a reply containing markup shows literally.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.__panduIzinWidget) return;
  window.__panduIzinWidget = true;

  var HISTORY_LIMIT = 100;
  var MAX_CHARS = 1500; // the same limit every channel has (bot/channels/text.py)
  var SENDER = /^web-[0-9a-f]{32,64}$/;
  var REQUEST_TIMEOUT_MS = 30000;
  var COLOR = /^(#[0-9a-fA-F]{3,8}|rgba?\([0-9\s.,%]+\)|[a-zA-Z]{3,20})$/;
  var DOWN_TEXT = "Maaf, layanan Pandu Izin sedang tidak dapat dihubungi. Silakan coba lagi beberapa saat lagi.";

  var scriptUrl = new URL(script.src, document.baseURI);
  var config = {
    botUrl: (script.dataset.botUrl || scriptUrl.origin).replace(/\/+$/, ""),
    title: script.dataset.title || "Pandu Izin",
    subtitle: script.dataset.subtitle || "Asisten informasi perizinan",
    greeting: script.dataset.greeting ||
      "Halo! Saya Pandu Izin. Tanyakan persyaratan, prosedur, biaya, atau lama proses suatu izin.",
    primary: safeColor(script.dataset.colorPrimary, "#0b5394"),
    onPrimary: safeColor(script.dataset.colorOnPrimary, "#ffffff"),
    open: script.dataset.open === "true"
  };
  var storageKey = "pandu-izin:" + config.botUrl + ":";

  function safeColor(value, fallback) {
    return value && COLOR.test(value.trim()) ? value.trim() : fallback;
  }

  // --- storage (a private-mode browser without localStorage still chats, it just forgets) ---
  function load(name, fallback) {
    try {
      var raw = window.localStorage.getItem(storageKey + name);
      return raw === null ? fallback : JSON.parse(raw);
    } catch (e) {
      return fallback;
    }
  }
  function save(name, value) {
    try {
      window.localStorage.setItem(storageKey + name, JSON.stringify(value));
    } catch (e) { /* storage full or disabled */ }
  }
  function newSenderId() {
    // 128 random bits: nobody can guess another visitor's conversation.
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return "web-" + Array.prototype.map.call(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
  }
  function tooLongText(length) {
    function dotted(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "."); }
    return "Pesan terlalu panjang (" + dotted(length) + " karakter; paling banyak " + dotted(MAX_CHARS) +
      "). Mohon ringkas pertanyaan Anda.";
  }

  var senderId = load("sender", null);
  if (typeof senderId !== "string" || !SENDER.test(senderId)) {
    senderId = newSenderId();
    save("sender", senderId);
  }
  var history = load("history", []);
  if (!Array.isArray(history)) history = [];

  // --- DOM (inside a shadow root: the host page's CSS cannot break the widget, nor it the page) ---
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var host = el("div");
  host.id = "pandu-izin-widget";
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  var stylesheet = el("link");
  stylesheet.rel = "stylesheet";
  stylesheet.href = new URL("widget.css", scriptUrl).href;
  root.appendChild(stylesheet);

  var frame = el("div", "pi-root");
  frame.style.setProperty("--pi-primary", config.primary);
  frame.style.setProperty("--pi-on-primary", config.onPrimary);

  var launcher = el("button", "pi-launcher");
  launcher.type = "button";
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", "pi-panel");
  launcher.setAttribute("aria-label", "Buka obrolan " + config.title);
  launcher.appendChild(el("span", "pi-launcher-icon", "💬"));
  launcher.appendChild(el("span", "pi-launcher-text", "Tanya " + config.title));

  var panel = el("section", "pi-panel");
  panel.id = "pi-panel";
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", "Obrolan " + config.title);

  var header = el("header", "pi-header");
  var heading = el("div", "pi-heading");
  heading.appendChild(el("h2", "pi-title", config.title));
  heading.appendChild(el("p", "pi-subtitle", config.subtitle));
  var restart = el("button", "pi-restart", "Mulai ulang");
  restart.type = "button";
  restart.setAttribute("aria-label", "Mulai percakapan baru");
  var close = el("button", "pi-close", "×");
  close.type = "button";
  close.setAttribute("aria-label", "Tutup obrolan");
  header.appendChild(heading);
  header.appendChild(restart);
  header.appendChild(close);

  var log = el("div", "pi-log");
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");
  log.setAttribute("aria-label", "Riwayat percakapan");
  log.tabIndex = 0;

  var typing = el("div", "pi-typing");
  typing.hidden = true;
  typing.setAttribute("role", "status");
  typing.appendChild(el("span", "pi-visually-hidden", config.title + " sedang mengetik…"));
  for (var i = 0; i < 3; i++) typing.appendChild(el("span", "pi-dot"));

  var form = el("form", "pi-form");
  var inputId = "pi-input";
  var label = el("label", "pi-visually-hidden", "Ketik pertanyaan Anda");
  label.htmlFor = inputId;
  var input = el("input", "pi-input");
  input.id = inputId;
  input.type = "text";
  input.autocomplete = "off";
  input.placeholder = "Ketik pertanyaan…";
  var send = el("button", "pi-send", "Kirim");
  send.type = "submit";
  var lengthNote = el("p", "pi-length-note");
  lengthNote.id = "pi-length-note";
  lengthNote.hidden = true;
  lengthNote.setAttribute("role", "status");
  input.setAttribute("aria-describedby", lengthNote.id);
  form.appendChild(label);
  form.appendChild(input);
  form.appendChild(send);

  panel.appendChild(header);
  panel.appendChild(log);
  panel.appendChild(typing);
  panel.appendChild(form);
  panel.appendChild(lengthNote);
  frame.appendChild(panel);
  frame.appendChild(launcher);
  root.appendChild(frame);

  // --- rendering: text as text, with line breaks and lists ---
  var BULLET = /^\s*[-•*]\s+/;
  var NUMBER = /^\s*(\d{1,3})[.)]\s+/;

  function renderText(container, text) {
    var lines = String(text).split(/\r?\n/);
    var list = null;
    var listKind = null;
    var paragraph = null;
    lines.forEach(function (line) {
      var bullet = BULLET.test(line);
      var number = NUMBER.exec(line);
      if (bullet || number) {
        var kind = bullet ? "ul" : "ol";
        if (!list || listKind !== kind) {
          list = el(kind, "pi-list");
          if (number && number[1] !== "1") list.start = parseInt(number[1], 10);
          listKind = kind;
          container.appendChild(list);
        }
        list.appendChild(el("li", null, line.replace(bullet ? BULLET : NUMBER, "")));
        paragraph = null;
        return;
      }
      list = null;
      if (!line.trim()) {
        paragraph = null;
        return;
      }
      if (paragraph) {
        paragraph.appendChild(document.createElement("br"));
        paragraph.appendChild(document.createTextNode(line));
      } else {
        paragraph = el("p", "pi-paragraph", line);
        container.appendChild(paragraph);
      }
    });
  }

  function renderMessage(entry, isLatest) {
    var kind = entry.from === "user" ? "user" : entry.from === "staff" ? "bot pi-staff" :
      entry.from === "news" ? "bot pi-news" : "bot";
    var bubble = el("div", "pi-message pi-" + kind);
    if (entry.from === "staff") {
      bubble.appendChild(el("span", "pi-staff-name", "Petugas" + (entry.name ? " " + entry.name : "") + ": "));
    } else if (entry.from === "news") {
      bubble.appendChild(el("span", "pi-news-label", "Pemberitahuan: "));
    } else {
      bubble.appendChild(el("span", "pi-visually-hidden", entry.from === "user" ? "Anda: " : config.title + ": "));
    }
    if (entry.text) renderText(bubble, entry.text);
    if (entry.buttons && entry.buttons.length) {
      var group = el("div", "pi-buttons");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "Pilihan jawaban");
      entry.buttons.forEach(function (button) {
        var choice = el("button", "pi-choice", button.title);
        choice.type = "button";
        choice.disabled = !isLatest;
        choice.addEventListener("click", function () {
          disableChoices();
          ask(button.payload, button.title);
        });
        group.appendChild(choice);
      });
      bubble.appendChild(group);
    }
    log.appendChild(bubble);
    log.scrollTop = log.scrollHeight;
  }

  function disableChoices() {
    Array.prototype.forEach.call(log.querySelectorAll(".pi-choice"), function (b) { b.disabled = true; });
  }

  function remember(entry) {
    history.push(entry);
    if (history.length > HISTORY_LIMIT) history = history.slice(history.length - HISTORY_LIMIT);
    save("history", history);
  }

  function add(entry) {
    disableChoices();
    remember(entry);
    renderMessage(entry, true);
  }

  function renderHistory() {
    log.textContent = "";
    if (!history.length) remember({ from: "bot", text: config.greeting });
    history.forEach(function (entry, index) { renderMessage(entry, index === history.length - 1); });
  }

  // --- transport: Rasa REST channel ---
  var busy = false;

  function ask(message, shownAs) {
    if (busy) return;
    busy = true;
    send.disabled = true;
    add({ from: "user", text: shownAs || message });
    typing.hidden = false;
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS) : null;
    // text/plain keeps this a "simple" cross-origin request (no preflight); the body is JSON.
    fetch(config.botUrl + "/webhooks/webchat/webhook", {
      method: "POST",
      headers: { "Content-Type": "text/plain;charset=UTF-8" },
      body: JSON.stringify({ sender: senderId, message: message, metadata: { channel: "webchat" } }),
      signal: controller ? controller.signal : undefined
    })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (replies) {
        if (!Array.isArray(replies)) throw new Error("unexpected reply");
        replies.forEach(function (reply) {
          if (!reply || (typeof reply.text !== "string" && !Array.isArray(reply.buttons))) return;
          var buttons = (reply.buttons || []).filter(function (b) { return b && (b.title || b.payload); })
            .map(function (b) { return { title: String(b.title || b.payload), payload: String(b.payload || b.title) }; });
          add({ from: "bot", text: typeof reply.text === "string" ? reply.text : "", buttons: buttons });
        });
      })
      .catch(function () {
        renderMessage({ from: "bot", text: DOWN_TEXT }, false);
      })
      .then(function () {
        if (timer) clearTimeout(timer);
        typing.hidden = true;
        busy = false;
        send.disabled = false;
        log.scrollTop = log.scrollHeight;
        checkStaff();
        checkNews();
      });
  }

  // --- notifications the applicant asked for ("Ya, kabari saya"): picked up when the widget opens ---
  var newsBusy = false;

  function checkNews() {
    if (newsBusy) return;
    newsBusy = true;
    var asked = senderId;
    fetch(config.botUrl + "/webhooks/webchat/kabar", {
      method: "POST",
      headers: { "Content-Type": "text/plain;charset=UTF-8" },  // a "simple" request, as above
      body: JSON.stringify({ sender: asked })
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (asked !== senderId || !data) return;  // the conversation was restarted meanwhile
        (data.kabar || []).forEach(function (k) {
          if (k && typeof k.teks === "string") add({ from: "news", text: k.teks });
        });
      })
      .catch(function () { /* the assistant is down: asked again on the next open */ })
      .then(function () { newsBusy = false; });
  }

  // --- staff messages (a conversation handed to a person): fetched for this conversation only ---
  var STAFF_POLL_MS = 3000;
  var staffTimer = null;
  var staffBusy = false;
  var lastStaffId = load("staff-last", 0);
  if (typeof lastStaffId !== "number") lastStaffId = 0;

  function checkStaff() {
    if (staffBusy) return;
    staffBusy = true;
    if (staffTimer) { clearTimeout(staffTimer); staffTimer = null; }
    var asked = senderId;
    fetch(config.botUrl + "/webhooks/webchat/pesan", {
      method: "POST",
      headers: { "Content-Type": "text/plain;charset=UTF-8" },  // a "simple" request, as above
      body: JSON.stringify({ sender: asked, setelah: lastStaffId })
    })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        if (asked !== senderId || !data) return;  // the conversation was restarted meanwhile
        (data.pesan || []).forEach(function (m) {
          if (!m || typeof m.id !== "number" || m.id <= lastStaffId) return;
          lastStaffId = m.id;
          save("staff-last", lastStaffId);
          add({ from: "staff", name: typeof m.nama === "string" ? m.nama : "", text: String(m.teks || "") });
        });
        // open, or closed with its hand-back notice still on its way: ask again
        if (data.status === "menunggu" || data.status === "dilayani" || data.tertunda === true) {
          staffTimer = setTimeout(checkStaff, STAFF_POLL_MS);
        }
      })
      .catch(function () {
        staffTimer = setTimeout(checkStaff, STAFF_POLL_MS * 3);  // assistant down: try again later
      })
      .then(function () { staffBusy = false; });
  }

  // --- behaviour ---
  function setOpen(open, moveFocus) {
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    launcher.hidden = open;
    save("open", open);
    if (open) log.scrollTop = log.scrollHeight;
    if (moveFocus) (open ? input : launcher).focus();
  }

  launcher.addEventListener("click", function () { setOpen(true, true); checkNews(); });
  close.addEventListener("click", function () { setOpen(false, true); });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") setOpen(false, true);
  });
  restart.addEventListener("click", function () {
    senderId = newSenderId();
    save("sender", senderId);
    lastStaffId = 0;
    save("staff-last", 0);
    if (staffTimer) { clearTimeout(staffTimer); staffTimer = null; }
    history = [];
    save("history", history);
    renderHistory();
    input.focus();
  });
  function checkLength() {
    var over = input.value.length > MAX_CHARS;
    lengthNote.hidden = !over;
    lengthNote.textContent = over ? tooLongText(input.value.length) : "";
    return !over;
  }
  input.addEventListener("input", checkLength);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text || busy || !checkLength()) return;
    input.value = "";
    ask(text);
  });

  function mount() {
    document.body.appendChild(host);
    renderHistory();
    setOpen(load("open", config.open) === true, false);
    if (history.length > 1) checkStaff();  // a reload in the middle of a talk with staff
    if (history.length > 1 && load("open", config.open) === true) checkNews();  // opened again: any news?
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
