// "Select all" on a list page: a checkbox with data-select-all="NAME" checks or clears every
// checkbox named NAME (the page works without it: the "select all on this page" link).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input[data-select-all]").forEach(function (all) {
    var boxes = function () {
      return document.querySelectorAll('input[type="checkbox"][name="' + all.dataset.selectAll + '"]');
    };
    all.addEventListener("change", function () {
      boxes().forEach(function (box) { box.checked = all.checked; });
    });
    boxes().forEach(function (box) {
      box.addEventListener("change", function () {
        all.checked = Array.prototype.every.call(boxes(), function (b) { return b.checked; });
      });
    });
  });
});
