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

// "Copy verification URL": copies the link's URL instead of following it, and says so in
// the action's live region. Without script (or clipboard access) the link opens the page.
(function () {
  'use strict';
  document.addEventListener('click', function (event) {
    var link = event.target && event.target.closest && event.target.closest('a[data-copy]');
    if (!link || !navigator.clipboard || !window.isSecureContext) return;
    event.preventDefault();
    var status = link.parentNode.querySelector('.copy-status');
    navigator.clipboard.writeText(link.getAttribute('data-copy')).then(
      function () {
        if (status) status.textContent = 'Verification URL copied';
      },
      function () {
        window.location.href = link.href;
      },
    );
  });
})();
