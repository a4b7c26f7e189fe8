/* A searchable multi-select with one Tab stop, over a group of checkboxes.

   Markup (templates/jinja2/lists/known_values.html; it works without JavaScript as a checkbox
   per value and a text box for another):

     <fieldset><legend>Tags</legend>
       <div data-multiselect data-search-label="Search tags">
         <label><input type="checkbox" name="tags" value="vip" hx-get=… hx-trigger="change"> vip</label> …
         <input type="text" name="tags" data-multiselect-other …>   a value not in the list
       </div>
     </fieldset>

   Enhanced, the checkboxes stay in the form (hidden): they are what the form submits and what
   htmx listens to. In front of them: the chosen values as chips, and one text box (a combobox,
   the group's only Tab stop) that filters a list box of the values. Arrow keys move through the
   list, Enter or a click toggles a value (the checkbox's "change" refreshes the table), Enter on
   a text that matches nothing adds it as another value, Backspace in the empty box removes the
   last chosen value, Escape closes the list. Built with the DOM API and textContent only: the
   values came from the platform and are never parsed as HTML. No inline script or style (CSP).
*/
(function () {
  "use strict";

  var counter = 0;

  function enhance(root) {
    if (root.hasAttribute("data-multiselect-ready")) return;
    root.setAttribute("data-multiselect-ready", "");
    counter += 1;
    var id = "sb-multiselect-" + counter;
    var fieldset = root.closest("fieldset");
    var legend = fieldset && fieldset.querySelector("legend");
    var other = root.querySelector("[data-multiselect-other]");
    var name = other ? other.getAttribute("name") : "";

    var chips = document.createElement("ul");
    chips.className = "sb-ms-chips";
    chips.setAttribute("aria-label", (legend ? legend.textContent.trim() + ": " : "") + "chosen");

    var input = document.createElement("input");
    input.type = "text";
    input.className = "form-control sb-ms-input";
    input.id = id + "-input";
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id + "-list");
    input.setAttribute("aria-autocomplete", "list");
    input.placeholder = root.getAttribute("data-search-label") || "Search";
    if (legend) {
      legend.id = legend.id || id + "-legend";
      input.setAttribute("aria-labelledby", legend.id);
    } else {
      input.setAttribute("aria-label", input.placeholder);
    }

    var list = document.createElement("ul");
    list.className = "sb-ms-list";
    list.id = id + "-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-multiselectable", "true");
    if (legend) list.setAttribute("aria-labelledby", legend.id);
    list.hidden = true;

    var box = document.createElement("div");
    box.className = "sb-ms";
    box.appendChild(chips);
    box.appendChild(input);
    box.appendChild(list);
    root.classList.add("sb-ms-enhanced");
    root.insertBefore(box, root.firstChild);

    var active = -1; // index into the visible options

    function checkboxes() {
      return Array.prototype.slice.call(root.querySelectorAll('input[type="checkbox"]'));
    }

    function visibleOptions() {
      return Array.prototype.slice.call(list.querySelectorAll('[role="option"]:not([hidden])'));
    }

    function render() {
      var query = input.value.trim().toLowerCase();
      chips.textContent = "";
      list.textContent = "";
      checkboxes().forEach(function (checkbox, index) {
        checkbox.tabIndex = -1;
        var value = checkbox.value;
        if (checkbox.checked) {
          var chip = document.createElement("li");
          chip.className = "sb-ms-chip";
          var text = document.createElement("span");
          text.textContent = value;
          var remove = document.createElement("button");
          remove.type = "button";
          remove.tabIndex = -1;
          remove.className = "sb-ms-remove";
          remove.setAttribute("aria-label", "Remove " + value);
          remove.textContent = "×";
          remove.addEventListener("click", function () {
            toggle(checkbox);
            input.focus();
          });
          chip.appendChild(text);
          chip.appendChild(remove);
          chips.appendChild(chip);
        }
        var option = document.createElement("li");
        option.id = id + "-option-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", checkbox.checked ? "true" : "false");
        option.className = "sb-ms-option";
        option.textContent = value;
        option.hidden = query !== "" && value.toLowerCase().indexOf(query) === -1;
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the text box
        });
        option.addEventListener("click", function () {
          toggle(checkbox);
        });
        list.appendChild(option);
      });
      chips.hidden = chips.children.length === 0;
      highlight(Math.min(active, visibleOptions().length - 1));
    }

    function highlight(index) {
      var options = visibleOptions();
      active = options.length ? Math.max(index, -1) : -1;
      options.forEach(function (option, position) {
        option.classList.toggle("sb-ms-active", position === active);
      });
      if (active >= 0) {
        input.setAttribute("aria-activedescendant", options[active].id);
        options[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open() {
      if (!list.hidden) return;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      highlight(-1);
    }

    function toggle(checkbox) {
      checkbox.checked = !checkbox.checked;
      checkbox.dispatchEvent(new Event("change", { bubbles: true }));
      render();
    }

    function addOther(value) {
      var existing = checkboxes().filter(function (checkbox) {
        return checkbox.value.toLowerCase() === value.toLowerCase();
      })[0];
      if (existing) {
        if (!existing.checked) toggle(existing);
        return;
      }
      // A checkbox like the others, refreshing the table the way the text box would have.
      var checkbox = document.createElement("input");
      checkbox.type = "checkbox";
      checkbox.name = name;
      checkbox.value = value;
      checkbox.checked = true;
      checkbox.className = "form-check-input";
      ["hx-get", "hx-trigger"].forEach(function (attribute) {
        if (other && other.hasAttribute(attribute)) {
          checkbox.setAttribute(attribute, other.getAttribute(attribute));
        }
      });
      var label = document.createElement("label");
      label.className = "form-check form-check-inline m-0";
      label.appendChild(checkbox);
      root.insertBefore(label, other);
      if (window.htmx) window.htmx.process(checkbox);
      checkbox.dispatchEvent(new Event("change", { bubbles: true }));
      render();
    }

    input.addEventListener("input", function () {
      open();
      render();
      highlight(input.value.trim() ? 0 : -1);
    });
    input.addEventListener("focus", render);
    input.addEventListener("click", open);
    input.addEventListener("blur", close);
    input.addEventListener("keydown", function (event) {
      var options = visibleOptions();
      if (event.key === "ArrowDown") {
        event.preventDefault();
        open();
        highlight(Math.min(active + 1, visibleOptions().length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter") {
        event.preventDefault(); // never submits the whole form from here
        if (!list.hidden && active >= 0 && options[active]) {
          options[active].click();
        } else if (input.value.trim()) {
          addOther(input.value.trim());
          input.value = "";
          render();
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          close();
        }
      } else if (event.key === "Backspace" && input.value === "") {
        var chosen = checkboxes().filter(function (checkbox) {
          return checkbox.checked;
        });
        if (chosen.length) toggle(chosen[chosen.length - 1]);
      }
    });
    if (other) {
      other.tabIndex = -1;
      other.value = "";
    }
    render();
  }

  function enhanceAll(scope) {
    var roots = (scope || document).querySelectorAll("[data-multiselect]");
    Array.prototype.forEach.call(roots, enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      enhanceAll(document);
    });
  } else {
    enhanceAll(document);
  }
  document.addEventListener("htmx:load", function (event) {
    enhanceAll(event.target);
  });
})();
