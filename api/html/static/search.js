/* The header's search box: suggestions as you type, from /search/suggest on this server.
   Plain script, no library; links stay relative to the page, so the site works under any prefix. */
(function () {
  "use strict";
  var form = document.querySelector("form.site-search");
  if (!form) { return; }
  var input = form.querySelector("input[name=q]");
  var list = form.querySelector(".suggestions");
  var root = form.getAttribute("data-root");
  var endpoint = form.getAttribute("data-suggest");
  var asked = 0, shown = 0, active = -1, timer = null;

  function close() {
    list.hidden = true;
    list.textContent = "";
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function item(s, i) {
    var li = document.createElement("li");
    li.id = "suggestion-" + i;
    li.setAttribute("role", "option");
    var a = document.createElement("a");
    a.href = root + s.href;
    var label = document.createElement("span");
    label.className = "label";
    label.textContent = s.label;
    a.appendChild(label);
    var detail = document.createElement("span");
    detail.className = "detail";
    detail.textContent = s.detail + (s.matched ? " · “" + s.matched + "”" : "");
    a.appendChild(detail);
    li.appendChild(a);
    return li;
  }

  function show(answer, number) {
    if (number < shown) { return; }  /* an older answer arriving late */
    shown = number;
    close();
    if (!answer.suggestions.length) { return; }
    if (answer.corrected) {
      var note = document.createElement("li");
      note.className = "corrected";
      note.textContent = "Showing results for “" + answer.corrected + "”";
      list.appendChild(note);
    }
    answer.suggestions.forEach(function (s, i) { list.appendChild(item(s, i)); });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function ask() {
    var text = input.value.trim();
    if (text.length < 2) { close(); return; }
    var number = ++asked;
    fetch(endpoint + "?" + new URLSearchParams({ q: text }), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
      .then(function (answer) { show(answer, number); })
      .catch(function () { /* offline or server stopped: the form still submits */ });
  }

  function options() { return list.querySelectorAll("li[role=option]"); }

  function move(step) {
    var all = options();
    if (!all.length) { return; }
    if (active >= 0) { all[active].classList.remove("active"); }
    active = (active + step + all.length) % all.length;
    all[active].classList.add("active");
    input.setAttribute("aria-activedescendant", all[active].id);
  }

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 120);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { e.preventDefault(); move(1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); move(-1); }
    else if (e.key === "Escape") { close(); }
    else if (e.key === "Enter" && active >= 0) {
      e.preventDefault();
      window.location.href = options()[active].querySelector("a").href;
    }
  });
  /* A click on a suggestion must land before the box loses focus and the list closes. */
  list.addEventListener("mousedown", function (e) { e.preventDefault(); });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
})();
