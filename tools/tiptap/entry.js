export { Editor, Extension, mergeAttributes } from "@tiptap/core";
export { default as StarterKit } from "@tiptap/starter-kit";
export { default as Mention } from "@tiptap/extension-mention";
