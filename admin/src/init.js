// Loaded before decap-cms.js: editor.js registers the format and the preview, then starts it.
window.CMS_MANUAL_INIT = true;
