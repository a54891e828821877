/* Copy buttons on /partners/. Without this script they stay hidden and the links and the
   embed code are plain text to select and copy. */
(function () {
  "use strict";
  var status = document.getElementById("copy-status");
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy"));
      var text = source.value || source.href || source.textContent;
      var said = function (message) { status.textContent = message; };
      var copied = function () { said(button.getAttribute("data-copied")); };
      var selectInstead = function () {
        // No clipboard (an insecure page, or refused): select the text to copy by hand.
        if (source.select) { source.focus(); source.select(); }
        said(button.getAttribute("data-select"));
      };
      status.textContent = "";
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(copied, selectInstead);
      } else {
        selectInstead();
      }
    });
  });
})();
