// After a page loads, take the focus to what the page has to say, so that a screen reader
// reads it and the next Tab starts there: the error summary after a refusal, else the banner
// after a success. Without script every page works the same; the reader starts at the top.
(function () {
  "use strict";
  var said = document.querySelector(".error-summary") || document.querySelector(".flash");
  // A box that asks for the focus itself (the first box of a row just added) keeps it.
  if (!said || document.querySelector("[autofocus]")) {
    return;
  }
  if (!said.hasAttribute("tabindex")) {
    said.setAttribute("tabindex", "-1");  // focusable by script, not a stop for Tab
  }
  said.focus();
  // An address ending in #main (a skip link's, kept by the browser through a form's redirect)
  // would take the focus to its target once the page has loaded: bring it back to what was said.
  if (window.location.hash) {
    window.addEventListener("load", function () { said.focus(); });
  }
})();
