// Progressive enhancement for the target picker on the goal form: a search box that shows only
// the targets whose number or text contains what is typed, opening their goals. Without
// JavaScript the grouped checkbox list works as it is.
(function () {
  "use strict";
  document.querySelectorAll("fieldset.target-picker[data-filter-label]").forEach(function (picker) {
    var id = "target-filter";
    var field = document.createElement("div");
    field.className = "ds-field target-picker__filter";
    var label = document.createElement("label");
    label.className = "ds-label";
    label.htmlFor = id;
    label.textContent = picker.dataset.filterLabel;
    var input = document.createElement("input");
    input.className = "ds-input";
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    var status = document.createElement("p");
    status.className = "ds-paragraph";
    status.dataset.size = "sm";
    status.setAttribute("role", "status");
    field.append(label, input, status);
    picker.querySelector("legend").after(field);
    var items = Array.prototype.slice.call(picker.querySelectorAll(".target-picker__item"));
    var groups = picker.querySelectorAll("details.target-picker__goal");
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().trim().split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (item) {
        var text = item.textContent.toLowerCase();
        var match = words.every(function (w) { return text.indexOf(w) !== -1; });
        item.hidden = !match;
        if (match) { shown += 1; }
      });
      groups.forEach(function (group) {
        var any = group.querySelector(".target-picker__item:not([hidden])") !== null;
        group.hidden = !any;
        if (words.length) { group.open = any; }
      });
      status.textContent = words.length ? picker.dataset.filterCount.replace("{count}", shown) : "";
    });
  });
})();
