/* A form sent back with errors: the focus moves to the summary of errors at the top, so that
   a screen reader reads it at once and a keyboard user goes on from there to each field. */
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();
