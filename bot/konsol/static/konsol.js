/* Staff console: live inbox and conversation without reloading. Text is always set with
 * textContent (never HTML): applicants' messages are untrusted. */
(function () {
  "use strict";
  var INTERVAL_MS = 3000;
  var page = document.body.getAttribute("data-halaman");

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  function getJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } }).then(function (r) {
      if (r.status === 401) { window.location.href = "/konsol/masuk?lanjut=" + encodeURIComponent(location.pathname); throw new Error("401"); }
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    });
  }
  function poll(fn) {
    function tick() { fn().catch(function () {}).then(function () { setTimeout(tick, INTERVAL_MS); }); }
    setTimeout(tick, INTERVAL_MS);
  }

  if (page === "antrean") {
    var body = document.getElementById("daftar-antrean");
    var badge = document.getElementById("jumlah-menunggu");
    var known = {};
    Array.prototype.forEach.call(body.querySelectorAll("tr[data-id]"), function (tr) { known[tr.getAttribute("data-id")] = true; });
    var shown = "";
    poll(function () {
      return getJson("/konsol/api/antrean" + location.search).then(function (data) {
        var snapshot = JSON.stringify(data);
        if (snapshot === shown) return;  // unchanged: keep the rows (and the keyboard focus) as they are
        shown = snapshot;
        body.textContent = "";
        if (!data.permintaan.length) {
          var empty = el("tr", "kosong"); var td = el("td", null, "Tidak ada percakapan yang menunggu petugas.");
          td.colSpan = 6; empty.appendChild(td); body.appendChild(empty);
        }
        data.permintaan.forEach(function (item) {
          var tr = el("tr", "baris-" + item.status + (known[item.id] ? "" : " baris-baru"));
          tr.setAttribute("data-id", item.id);
          known[item.id] = true;
          var status = el("td"); status.setAttribute("data-label", "Status");
          status.appendChild(el("span", "status status-" + item.status, item.status_label));
          if (item.petugas) { status.appendChild(el("br")); status.appendChild(el("span", "kecil", "oleh " + item.petugas)); }
          tr.appendChild(status);
          [["Kanal", item.kanal_label], ["Wilayah", item.wilayah], ["Menunggu", item.menunggu]].forEach(function (pair) {
            var td = el("td", null, pair[1]); td.setAttribute("data-label", pair[0]); tr.appendChild(td);
          });
          var last = el("td"); last.setAttribute("data-label", "Pesan terakhir");
          var list = el("ul", "cuplikan");
          item.pesan_terakhir.forEach(function (m) {
            var li = el("li", "dari-" + m.dari); li.appendChild(el("b", null, m.dari + ":")); li.appendChild(document.createTextNode(" " + m.teks)); list.appendChild(li);
          });
          last.appendChild(list); tr.appendChild(last);
          var open = el("td"); var a = el("a", "tombol", "Buka"); a.href = "/konsol/percakapan/" + item.id; open.appendChild(a); tr.appendChild(open);
          body.appendChild(tr);
        });
        badge.textContent = String(data.menunggu);
        document.title = (data.menunggu ? "(" + data.menunggu + ") " : "") + "Antrean percakapan · Pandu Izin";
      });
    });
  }

  if (page === "percakapan") {
    var id = document.body.getAttribute("data-id");
    var status = document.body.getAttribute("data-status");
    var count = parseInt(document.body.getAttribute("data-jumlah"), 10) || 0;
    var log = document.getElementById("riwayat");
    var who = { pemohon: "Pemohon", asisten: "Asisten", sistem: "Sistem" };
    poll(function () {
      return getJson("/konsol/api/percakapan/" + id).then(function (data) {
        if (data.status !== status) document.getElementById("status-berubah").hidden = false;
        (data.pesan_petugas || []).forEach(function (m) {
          var row = document.querySelector('#kiriman tr[data-id="' + m.id + '"]');
          if (!row) return;
          row.className = "kirim-" + m.status;
          row.querySelector(".kirim-status").textContent = m.status_label;
          row.querySelector(".kirim-keterangan").textContent = m.keterangan;
        });
        if (data.riwayat.length === count) return;
        count = data.riwayat.length;
        log.textContent = "";
        data.riwayat.forEach(function (e) {
          var li = el("li", "pesan pesan-" + e.dari);
          li.appendChild(el("span", "siapa", e.dari === "petugas" ? "Petugas " + (e.nama || "") : (who[e.dari] || e.dari)));
          li.appendChild(el("p", "teks", e.teks));
          if (e.tombol && e.tombol.length) li.appendChild(el("p", "kecil", "Tombol: " + e.tombol.join(" · ")));
          li.appendChild(el("time", null, e.waktu));
          log.appendChild(li);
        });
        log.lastChild && log.lastChild.scrollIntoView({ block: "nearest" });
      });
    });
  }
})();
