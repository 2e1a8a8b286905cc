/* Results page, progressive enhancement: a filter applies as soon as it is ticked, without a
   full reload, and the address bar keeps the search's shareable URL. Without this script the
   page works the same through its GET form and links. */
(function () {
  "use strict";

  // Near me: the browser's position, asked only when the visitor presses the button, goes
  // into the search's own address (rounded to about a kilometre) and nowhere else.
  var locate = document.getElementById("locate");
  var near = document.getElementById("near");
  if (locate && near && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (position) {
        near.value = position.coords.latitude.toFixed(2) + "," + position.coords.longitude.toFixed(2);
        near.form.requestSubmit ? near.form.requestSubmit() : near.form.submit();
      });
    });
  }

  var form = document.getElementById("filters");
  if (!form || !window.fetch || !window.DOMParser || !window.URLSearchParams || !history.pushState) {
    return;
  }
  document.documentElement.classList.add("js");

  // On a phone the filters start folded: templates/search/results.html folds them while the
  // page is parsed (here, after the first paint, the results jumped up).

  var searchPath = new URL(form.action, location.href).pathname;
  var pending = null;

  function formUrl() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (value !== "") {
        params.append(name, value);
      }
    });
    // Defaults left out keep the shared URL short: "wide" is ticked unless only its hidden
    // "0" is sent, and relevance is the default order.
    if (params.getAll("wide").indexOf("1") !== -1) {
      params.delete("wide");
    }
    if (params.get("sort") === "relevance") {
      params.delete("sort");
    }
    var query = params.toString();
    return searchPath + (query ? "?" + query : "");
  }

  function replace(selector, doc, keepOpen) {
    var current = document.querySelector(selector);
    var fresh = doc.querySelector(selector);
    if (!current || !fresh) {
      return false;
    }
    fresh = document.importNode(fresh, true);
    if (keepOpen) {
      // What the visitor folded or unfolded stays so: the filters' box and each facet.
      var before = current.querySelector("details");
      var after = fresh.querySelector("details");
      if (before && after) {
        after.open = before.open;
      }
      current.querySelectorAll("details[id]").forEach(function (old) {
        var twin = fresh.querySelector("#" + old.id);
        if (twin) {
          twin.open = old.open;
        }
      });
    }
    current.replaceWith(fresh);
    return true;
  }

  function swap(doc) {
    if (!replace("#facets", doc, true) || !replace("#results-list", doc, false)) {
      return false;
    }
    replace(".language-switch", doc, false);
    var count = doc.getElementById("results-count");
    // The live region stays in place; changing its text makes screen readers announce it.
    document.getElementById("results-count").textContent = count.textContent.trim();
    ["q", "sort"].forEach(function (id) {
      var field = document.getElementById(id);
      var value = doc.getElementById(id);
      if (field && value) {
        if (field.tagName === "SELECT") {
          // The orders offered change ("distance" once a postcode is given).
          field.innerHTML = value.innerHTML;
        }
        field.value = value.value;
      }
    });
    document.title = doc.title;
    return true;
  }

  function restoreFocus(target) {
    var element = null;
    if (target && target.id) {
      element = document.getElementById(target.id);
    } else if (target && target.region) {
      element = document.querySelector('#region-map [data-region="' + target.region + '"]');
    }
    if (target && !element) {
      element = document.getElementById("results-count");
      element.scrollIntoView({ block: "start" });
    }
    if (element) {
      element.focus();
    }
  }

  function load(url, push, target) {
    if (pending) {
      pending.abort();
    }
    var request = new AbortController();
    pending = request;
    form.setAttribute("aria-busy", "true");
    return fetch(url, { signal: request.signal, headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (text) {
        if (!swap(new DOMParser().parseFromString(text, "text/html"))) {
          throw new Error("unexpected page");
        }
        if (push) {
          history.pushState({ search: true }, "", url);
        }
        restoreFocus(target);
      })
      .catch(function (error) {
        if (error.name !== "AbortError") {
          location.href = url; // the ordinary page load still works
        }
      })
      .finally(function () {
        if (pending === request) {
          pending = null;
          form.removeAttribute("aria-busy");
        }
      });
  }

  form.addEventListener("change", function (event) {
    var field = event.target;
    if (field.type === "checkbox" || field.tagName === "SELECT") {
      load(formUrl(), true, { id: field.id });
    }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    load(formUrl(), true, null);
  });

  form.addEventListener("click", function (event) {
    var link = event.target.closest("a[href]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey || event.button) {
      return;
    }
    var url = new URL(link.getAttribute("href"), location.href);
    if (url.origin !== location.origin || url.pathname !== searchPath) {
      return;
    }
    event.preventDefault();
    var target = link.dataset.region ? { region: link.dataset.region } : { results: true };
    load(url.pathname + url.search, true, target);
  });

  history.replaceState({ search: true }, "", location.href);
  window.addEventListener("popstate", function (event) {
    if (event.state && event.state.search) {
      load(location.href, false, null);
    }
  });
})();
