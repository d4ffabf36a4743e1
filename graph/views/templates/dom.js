// What the scripts of every page share (base.html inlines it first): elements whose text goes in
// as textContent, never as markup; emptying one; a count with its noun.
var dom = {
  element: function (tag, text, cls) {
    var el = document.createElement(tag);
    if (text !== undefined && text !== null) { el.textContent = String(text); }
    if (cls) { el.className = cls; }
    return el;
  },
  clear: function (el) { while (el.firstChild) { el.removeChild(el.firstChild); } },
  plural: function (n, noun) { return n + " " + noun + (n === 1 ? "" : "s"); }
};
