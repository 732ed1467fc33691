// The rich-text editor for descriptions and comments, built on Tiptap
// (static/vendor/tiptap). It replaces each textarea[data-rich-text], writes
// its HTML back into the text area and sets the "<name>_format" input to
// "html"; the server sanitises the HTML again. Without JavaScript the text
// area stays and sends plain text.
(function () {
  "use strict";

  if (!window.Tiptap) return;
  var Tiptap = window.Tiptap;
  var labels = document.querySelector("[data-editor-labels]");

  function label(name) {
    return (labels && labels.dataset[name]) || name;
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function textToHtml(text) {
    return String(text || "")
      .replace(/\r\n?/g, "\n")
      .split(/\n[ \t]*\n/)
      .filter(function (block) { return block.trim(); })
      .map(function (block) { return "<p>" + escapeHtml(block).replace(/\n/g, "<br>") + "</p>"; })
      .join("");
  }

  // Mentions are stored as <span data-mention="42">@Name</span>.
  var MentionNode = Tiptap.Mention.extend({
    addAttributes: function () {
      var attributes = this.parent ? this.parent() : {};
      attributes.id = {
        default: null,
        parseHTML: function (element) { return element.getAttribute("data-mention"); },
        renderHTML: function () { return {}; },
      };
      attributes.label = {
        default: null,
        parseHTML: function (element) { return (element.textContent || "").replace(/^@/, ""); },
        renderHTML: function () { return {}; },
      };
      attributes.mentionSuggestionChar = {
        default: "@",
        parseHTML: function () { return "@"; },
        renderHTML: function () { return {}; },
      };
      return attributes;
    },
    parseHTML: function () {
      return [{ tag: "span[data-mention]" }];
    },
    renderHTML: function (props) {
      return ["span", { "data-mention": props.node.attrs.id, class: "mention" }, "@" + props.node.attrs.label];
    },
  });

  function mentionSuggestion(url) {
    return {
      char: "@",
      items: function (props) {
        var separator = url.indexOf("?") < 0 ? "?" : "&";
        return fetch(url + separator + "q=" + encodeURIComponent(props.query), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        })
          .then(function (response) { return response.ok ? response.json() : { users: [] }; })
          .then(function (data) { return data.users || []; })
          .catch(function () { return []; });
      },
      render: function () {
        var menu = null;
        var current = null;
        var selected = 0;

        function choose(index) {
          var user = current.items[index];
          if (user) current.command({ id: String(user.id), label: user.name });
        }

        function draw() {
          menu.textContent = "";
          if (!current.items.length) {
            var empty = document.createElement("span");
            empty.className = "dropdown-item-text small text-body-secondary";
            empty.textContent = label("noMatches");
            menu.appendChild(empty);
          }
          current.items.forEach(function (user, index) {
            var option = document.createElement("button");
            option.type = "button";
            option.className = "dropdown-item" + (index === selected ? " active" : "");
            option.setAttribute("role", "option");
            option.setAttribute("aria-selected", index === selected ? "true" : "false");
            option.dataset.mentionOption = String(user.id);
            option.textContent = user.name;
            option.addEventListener("mousedown", function (event) {
              event.preventDefault();
              choose(index);
            });
            menu.appendChild(option);
          });
          var rect = current.clientRect && current.clientRect();
          if (rect) {
            menu.style.left = rect.left + window.scrollX + "px";
            menu.style.top = rect.bottom + window.scrollY + 4 + "px";
          }
        }

        return {
          onStart: function (props) {
            current = props;
            selected = 0;
            menu = document.createElement("div");
            menu.className = "dropdown-menu mention-menu shadow-sm";
            menu.setAttribute("role", "listbox");
            menu.setAttribute("aria-label", label("mentionList"));
            document.body.appendChild(menu);
            draw();
          },
          onUpdate: function (props) {
            current = props;
            selected = 0;
            draw();
          },
          onKeyDown: function (props) {
            var count = current.items.length;
            if (props.event.key === "Escape") {
              menu.remove();
              return true;
            }
            if (!count) return false;
            if (props.event.key === "ArrowDown") {
              selected = (selected + 1) % count;
              draw();
              return true;
            }
            if (props.event.key === "ArrowUp") {
              selected = (selected + count - 1) % count;
              draw();
              return true;
            }
            if (props.event.key === "Enter" || props.event.key === "Tab") {
              choose(selected);
              return true;
            }
            return false;
          },
          onExit: function () {
            if (menu) menu.remove();
            menu = null;
          },
        };
      },
    };
  }

  var BUTTONS = [
    { name: "bold", text: "B", className: "fw-bold", run: function (c) { return c.toggleBold(); }, active: "bold" },
    { name: "italic", text: "I", className: "fst-italic", run: function (c) { return c.toggleItalic(); }, active: "italic" },
    { name: "strike", text: "S", className: "text-decoration-line-through", run: function (c) { return c.toggleStrike(); }, active: "strike" },
    { name: "code", text: "</>", run: function (c) { return c.toggleCode(); }, active: "code" },
    { name: "link", active: "link" },
    { name: "bulletList", text: "•", run: function (c) { return c.toggleBulletList(); }, active: "bulletList" },
    { name: "orderedList", text: "1.", run: function (c) { return c.toggleOrderedList(); }, active: "orderedList" },
    { name: "blockquote", text: "❝", run: function (c) { return c.toggleBlockquote(); }, active: "blockquote" },
    { name: "codeBlock", text: "{ }", run: function (c) { return c.toggleCodeBlock(); }, active: "codeBlock" },
  ];

  function buildToolbar(editorRef) {
    var toolbar = document.createElement("div");
    toolbar.className = "rich-editor-toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", label("toolbar"));

    var style = document.createElement("select");
    style.className = "form-select form-select-sm";
    style.setAttribute("aria-label", label("textStyle"));
    style.dataset.editorStyle = "";
    [["paragraph", label("paragraph")], ["2", label("heading")], ["3", label("subheading")]].forEach(function (pair) {
      var option = document.createElement("option");
      option.value = pair[0];
      option.textContent = pair[1];
      style.appendChild(option);
    });
    style.addEventListener("change", function () {
      var chain = editorRef.editor.chain().focus();
      if (style.value === "paragraph") chain.setParagraph().run();
      else chain.setHeading({ level: Number(style.value) }).run();
    });
    toolbar.appendChild(style);

    BUTTONS.forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-outline-secondary " + (spec.className || "");
      button.dataset.editorCommand = spec.name;
      button.setAttribute("aria-label", label(spec.name));
      button.title = label(spec.name);
      button.setAttribute("aria-pressed", "false");
      button.textContent = spec.text || label(spec.name);
      // Keep the focus (and the selection) in the editor while clicking.
      button.addEventListener("mousedown", function (event) { event.preventDefault(); });
      button.addEventListener("click", function () {
        var editor = editorRef.editor;
        if (spec.name === "link") {
          var previous = editor.getAttributes("link").href || "https://";
          var href = window.prompt(label("linkPrompt"), previous);
          if (href === null) return;
          if (href.trim() === "") editor.chain().focus().extendMarkRange("link").unsetLink().run();
          else editor.chain().focus().extendMarkRange("link").setLink({ href: href.trim() }).run();
          return;
        }
        spec.run(editor.chain().focus()).run();
      });
      toolbar.appendChild(button);
    });
    return toolbar;
  }

  function updateToolbar(toolbar, editor) {
    toolbar.querySelectorAll("[data-editor-command]").forEach(function (button) {
      button.setAttribute("aria-pressed", editor.isActive(button.dataset.editorCommand) ? "true" : "false");
      button.classList.toggle("active", editor.isActive(button.dataset.editorCommand));
    });
    var style = toolbar.querySelector("[data-editor-style]");
    style.value = editor.isActive("heading", { level: 2 }) ? "2" : editor.isActive("heading", { level: 3 }) ? "3" : "paragraph";
  }

  function setUpTraceOffer(form, editorRef) {
    var offer = form.querySelector("[data-trace-offer]");
    if (!offer) return null;
    var pending = "";
    offer.querySelector("[data-trace-attach]").addEventListener("click", function () {
      var name = window.CCC.timestampName("stack-trace", ".txt");
      var file = new File([pending], name, { type: "text/plain" });
      form.dispatchEvent(new CustomEvent("ccc:add-files", { detail: { files: [file] } }));
      offer.classList.add("d-none");
      editorRef.editor.commands.focus();
    });
    offer.querySelector("[data-trace-insert]").addEventListener("click", function () {
      editorRef.editor.chain().focus().insertContent({ type: "codeBlock", content: [{ type: "text", text: pending }] }).run();
      offer.classList.add("d-none");
    });
    return function (text) {
      pending = text;
      offer.classList.remove("d-none");
      offer.querySelector("[data-trace-attach]").focus();
    };
  }

  function mount(textarea) {
    var form = textarea.closest("form");
    var formatInput = form.querySelector('input[name="' + textarea.dataset.formatInput + '"]');
    var editorRef = { editor: null };
    var wrapper = document.createElement("div");
    wrapper.className = "rich-editor" + (textarea.classList.contains("is-invalid") ? " is-invalid" : "");
    var toolbar = buildToolbar(editorRef);
    var content = document.createElement("div");
    content.className = "rich-editor-content";
    wrapper.append(toolbar, content);
    textarea.insertAdjacentElement("afterend", wrapper);
    textarea.classList.add("d-none");
    textarea.setAttribute("aria-hidden", "true");
    textarea.tabIndex = -1;

    var fieldLabel = form.querySelector('label[for="' + textarea.id + '"]');
    var offerTrace = setUpTraceOffer(form, editorRef);
    var initial = formatInput && formatInput.value === "html" ? textarea.value : textToHtml(textarea.value);
    var extensions = [
      Tiptap.StarterKit.configure({
        heading: { levels: [2, 3] },
        link: { openOnClick: false, autolink: true, protocols: ["mailto"], HTMLAttributes: { rel: "noopener noreferrer nofollow", target: null } },
      }),
    ];
    if (textarea.dataset.mentionUrl) {
      extensions.push(MentionNode.configure({
        renderText: function (props) { return "@" + props.node.attrs.label; },
        suggestion: mentionSuggestion(textarea.dataset.mentionUrl),
      }));
    }

    function sync(editor) {
      textarea.value = editor.isEmpty ? "" : editor.getHTML();
      if (formatInput) formatInput.value = "html";
    }

    editorRef.editor = new Tiptap.Editor({
      element: content,
      // Tiptap would add a <style> element, which the Content-Security-Policy
      // blocks; static/css/editor.css has the rules it needs.
      injectCSS: false,
      extensions: extensions,
      content: initial,
      editorProps: {
        attributes: {
          role: "textbox",
          "aria-multiline": "true",
          "aria-label": fieldLabel ? fieldLabel.textContent.trim() : label("editor"),
          "data-rich-editor": textarea.name,
        },
        handlePaste: function (view, event) {
          var data = event.clipboardData;
          if (!data) return false;
          // Pasted screenshots are handled by uploads.js on the form.
          if (data.files.length && Array.prototype.indexOf.call(data.types, "text/plain") < 0) return true;
          var text = data.getData("text/plain");
          if (offerTrace && window.CCC.looksLikeStackTrace(text)) {
            offerTrace(text);
            return true;
          }
          return false;
        },
        handleDrop: function (view, event) {
          // Dropped files become attachments (uploads.js), never editor content.
          return !!(event.dataTransfer && event.dataTransfer.files.length);
        },
      },
      onUpdate: function (props) { sync(props.editor); },
      onTransaction: function (props) { updateToolbar(toolbar, props.editor); },
    });
    sync(editorRef.editor);
    updateToolbar(toolbar, editorRef.editor);
    if (fieldLabel) {
      fieldLabel.addEventListener("click", function (event) {
        event.preventDefault();
        editorRef.editor.commands.focus();
      });
    }
    form.addEventListener("submit", function () { sync(editorRef.editor); });
    textarea.editor = editorRef.editor;
  }

  document.querySelectorAll("textarea[data-rich-text]").forEach(mount);
})();
