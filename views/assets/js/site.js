// Progressive enhancement only: every page works without this file.
// Avatars come from an outside service; when one cannot load (offline, blocked), show the
// local image instead of a broken one. Listening in the capture phase on the document
// catches errors of images parsed before and after this script.
(function () {
  'use strict';
  document.addEventListener(
    'error',
    function (event) {
      var img = event.target;
      if (!img || img.tagName !== 'IMG') return;
      var fallback = img.getAttribute('data-fallback');
      if (fallback && img.getAttribute('src') !== fallback) {
        img.setAttribute('src', fallback);
      }
    },
    true,
  );
})();
