/* Share link: the device's share sheet where there is one, otherwise copy. */
(function () {
  "use strict";
  var button = document.querySelector("[data-share]");
  var input = document.getElementById("share-url");
  if (!button || !input) return;
  button.hidden = false;
  var status = document.querySelector("[data-share-status]");
  button.addEventListener("click", function () {
    var url = input.value;
    if (navigator.share) {
      navigator.share({ url: url, title: document.title }).catch(function () {});
      return;
    }
    var done = function () {
      if (status) status.textContent = document.getElementById("share-copied").textContent;
    };
    if (navigator.clipboard) navigator.clipboard.writeText(url).then(done, function () { input.select(); });
    else { input.select(); document.execCommand("copy"); done(); }
  });
})();
