// Register SILABU's service worker (static/js/sw.js, served at the site root by silabu.pwa) so the app can be
// installed on a phone. The script tag carries the worker's URL and scope: <script data-sw="/sw.js" data-scope="/">.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !("serviceWorker" in navigator)) return;
  var register = function () {
    navigator.serviceWorker.register(script.dataset.sw, { scope: script.dataset.scope }).catch(function () {});
  };
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register);
})();
