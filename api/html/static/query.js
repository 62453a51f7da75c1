/* The SPARQL query page: YASGUI pointed at this server's endpoint, with the example queries.
   Nothing here talks to another host: no prefix.cc, no LOV suggestions, no CORS proxy,
   no CDN; the endpoint is this server's /sparql and nothing is kept in localStorage. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("query-config").textContent);
  var endpoint = new URL(config.endpoint, window.location.href).href;
  var examples = {};
  config.examples.forEach(function (ex) { examples[ex.id] = ex; });
  var first = config.examples[0];
  Array.prototype.forEach.call(document.querySelectorAll(".endpoint-url"), function (el) { el.textContent = endpoint; });

  // YASQE suggests classes and properties from lov.linkeddata.es unless told otherwise:
  // keep only the completers that work offline (variables; prefixes from its bundled list).
  Yasgui.Yasqe.defaults.autocompleters = ["variables", "prefixes"];
  Yasgui.Yasqe.defaults.prefixCcApi = null;
  // ...and keep nothing in localStorage, not even the prefix list it would cache there.
  Object.keys(Yasgui.Yasqe.Autocompleters || {}).forEach(function (name) {
    Yasgui.Yasqe.Autocompleters[name].persistenceId = null;
  });
  // Results as people read them: plain values (the "Simple view" switch shows RDF terms).
  if (Yasgui.Yasr.defaults.plugins && Yasgui.Yasr.defaults.plugins.table) {
    Yasgui.Yasr.defaults.plugins.table.dynamicConfig = { compact: true };
  }

  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    endpointCatalogueOptions: {
      getData: function () { return [{ endpoint: endpoint }]; },
      keys: []
    },
    copyEndpointOnNewTab: true,
    corsProxy: undefined,
    persistenceId: null,
    populateFromUrl: false,
    tabName: "Query",
    yasqe: { value: first ? first.query.trim() + "\n" : "", editorHeight: "300px" },
    yasr: { defaultPlugin: "table" }
  });
  window.skillsgraphYasgui = yasgui;

  var buttons = Array.prototype.slice.call(document.querySelectorAll("button.example"));

  function load(id) {
    var ex = examples[id];
    if (!ex) { return false; }
    var tab = yasgui.getTab();
    tab.setQuery(ex.query.trim() + "\n");
    buttons.forEach(function (b) { b.classList.toggle("active", b.getAttribute("data-example") === id); });
    return true;
  }

  buttons.forEach(function (b) {
    b.addEventListener("click", function () {
      var id = b.getAttribute("data-example");
      if (load(id) && window.history && history.replaceState) { history.replaceState(null, "", "#" + id); }
    });
  });

  var wanted = decodeURIComponent((window.location.hash || "").slice(1));
  if (!(wanted && load(wanted)) && first) {
    buttons.forEach(function (b) { b.classList.toggle("active", b.getAttribute("data-example") === first.id); });
  }
  // IRIs in the results that this server serves open here, not at their canonical host.
  var root = new URL(config.root, window.location.href).href;
  function localise(el) {
    Array.prototype.forEach.call(el.querySelectorAll("a[href]"), function (a) {
      var href = a.getAttribute("href");
      if (config.namespace && href && href.indexOf(config.namespace) === 0) {
        a.setAttribute("href", new URL(href.slice(config.namespace.length), root).href);
        a.setAttribute("title", href);
        a.removeAttribute("target");
      }
    });
  }
  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      Array.prototype.forEach.call(change.addedNodes, function (node) {
        if (node.nodeType === 1) { localise(node); }
      });
    });
  }).observe(document.getElementById("yasgui"), { childList: true, subtree: true });

  document.documentElement.setAttribute("data-yasgui-ready", "true");
})();
