// "Find help" results: once as many providers are ticked as a request may go to, the other
// boxes are disabled (and enabled again when one is unticked). Without JavaScript the
// request form itself refuses more. Disabling changes no layout.
(function () {
  "use strict";
  var form = document.getElementById("guide-choose");
  if (!form) { return; }
  var max = parseInt(form.getAttribute("data-max"), 10) || 3;
  var boxes = form.querySelectorAll("input[type=checkbox][name=provider]");
  function update() {
    var chosen = 0;
    boxes.forEach(function (box) { if (box.checked) { chosen += 1; } });
    boxes.forEach(function (box) { box.disabled = !box.checked && chosen >= max; });
  }
  form.addEventListener("change", update);
  update();
})();
