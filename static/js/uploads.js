// Attachments of request and comment forms. Files chosen, dropped onto the
// form or pasted from the clipboard are uploaded one by one to the staging
// endpoint with a progress bar, and the form then sends only their ids.
// Without this script the file input sends the files with the form.
(function () {
  "use strict";

  var UNITS = ["bytes", "KB", "MB", "GB"];

  function formatSize(bytes) {
    var value = bytes;
    var unit = 0;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit += 1;
    }
    return (unit === 0 ? value : value.toFixed(1)) + " " + UNITS[unit];
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return key in values ? values[key] : match;
    });
  }

  function pad(number) {
    return String(number).padStart(2, "0");
  }

  function timestampName(prefix, extension) {
    var now = new Date();
    return prefix + "-" + now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" +
      pad(now.getDate()) + "-" + pad(now.getHours()) + pad(now.getMinutes()) + extension;
  }

  function toPng(blob) {
    if (blob.type === "image/png") return Promise.resolve(blob);
    return createImageBitmap(blob).then(function (bitmap) {
      var canvas = document.createElement("canvas");
      canvas.width = bitmap.width;
      canvas.height = bitmap.height;
      canvas.getContext("2d").drawImage(bitmap, 0, 0);
      return new Promise(function (resolve) { canvas.toBlob(resolve, "image/png"); });
    });
  }

  function Uploader(zone) {
    this.zone = zone;
    this.form = zone.closest("form");
    this.list = zone.querySelector("[data-upload-list]");
    this.errors = zone.querySelector("[data-upload-errors]");
    this.input = zone.querySelector("[data-upload-input]");
    this.maxSize = Number(zone.dataset.maxSize);
    this.maxFiles = Number(zone.dataset.maxFiles);
    this.maxTotal = Number(zone.dataset.maxTotal);
    this.pending = 0;
    this.bind();
  }

  Uploader.prototype.message = function (name, values) {
    return format(this.zone.dataset[name] || "", values);
  };

  Uploader.prototype.csrfToken = function () {
    var field = this.form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  };

  Uploader.prototype.items = function () {
    return Array.prototype.slice.call(this.list.querySelectorAll("[data-upload-item]"));
  };

  Uploader.prototype.showError = function (text) {
    var line = document.createElement("div");
    line.className = "invalid-feedback d-block";
    line.textContent = text;
    this.errors.appendChild(line);
  };

  Uploader.prototype.showStatus = function (text) {
    var line = document.createElement("div");
    line.className = "form-text";
    line.dataset.uploadStatus = "";
    line.textContent = text;
    this.errors.appendChild(line);
  };

  Uploader.prototype.clearErrors = function () {
    this.errors.textContent = "";
  };

  // Called when an upload ends. A waiting form is sent once nothing is pending,
  // unless an upload failed meanwhile. Then the error stays on screen and the
  // customer sends the form again.
  Uploader.prototype.settle = function (failed) {
    if (!this.submitWaiting) return;
    if (failed) {
      this.submitWaiting = false;
      var status = this.errors.querySelector("[data-upload-status]");
      if (status) status.remove();
      return;
    }
    if (this.pending > 0) return;
    this.submitWaiting = false;
    this.clearErrors();
    var submitter = this.waitingSubmitter;
    this.waitingSubmitter = null;
    if (this.form.requestSubmit) {
      this.form.requestSubmit(submitter && submitter.form === this.form ? submitter : undefined);
    } else {
      this.form.submit();
    }
  };

  Uploader.prototype.bind = function () {
    var self = this;
    this.input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(self.input.files);
      self.input.value = "";
      self.addFiles(files);
    });
    this.form.addEventListener("dragover", function (event) {
      if (!event.dataTransfer || Array.prototype.indexOf.call(event.dataTransfer.types, "Files") < 0) return;
      event.preventDefault();
      self.form.classList.add("is-dragover");
    });
    this.form.addEventListener("dragleave", function (event) {
      if (!self.form.contains(event.relatedTarget)) self.form.classList.remove("is-dragover");
    });
    this.form.addEventListener("drop", function (event) {
      self.form.classList.remove("is-dragover");
      if (!event.dataTransfer || !event.dataTransfer.files.length) return;
      event.preventDefault();
      self.addFiles(Array.prototype.slice.call(event.dataTransfer.files));
    });
    this.form.addEventListener("paste", function (event) {
      var data = event.clipboardData;
      if (!data || !data.files.length) return;
      if (Array.prototype.indexOf.call(data.types, "text/plain") >= 0) return;
      var images = Array.prototype.filter.call(data.files, function (file) {
        return file.type.indexOf("image/") === 0;
      });
      if (!images.length) return;
      event.preventDefault();
      self.addScreenshots(images);
    });
    this.form.addEventListener("ccc:add-files", function (event) {
      self.addFiles(event.detail.files);
    });
    this.list.addEventListener("click", function (event) {
      var button = event.target.closest("[data-upload-remove]");
      if (button) self.remove(button.closest("[data-upload-item]"), button.dataset.stagedId);
    });
    // A submit while files are still uploading waits, and the form is sent
    // when the last upload is done, so the customer clicks only once.
    this.form.addEventListener("submit", function (event) {
      if (self.pending > 0) {
        event.preventDefault();
        self.waitingSubmitter = event.submitter || null;
        self.submitWaiting = true;
        self.clearErrors();
        self.showStatus(self.message("msgWait", {}));
      }
    });
  };

  Uploader.prototype.addScreenshots = function (images) {
    var self = this;
    Promise.all(images.map(toPng)).then(function (blobs) {
      var files = blobs.filter(Boolean).map(function (blob) {
        return new File([blob], timestampName("screenshot", ".png"), { type: "image/png" });
      });
      self.addFiles(files);
    });
  };

  // Check the limits before anything is sent; the server checks them again.
  Uploader.prototype.addFiles = function (files) {
    var self = this;
    this.clearErrors();
    var count = this.items().length;
    var total = this.items().reduce(function (sum, item) { return sum + Number(item.dataset.size || 0); }, 0);
    files.forEach(function (file) {
      if (file.size > self.maxSize) {
        self.showError(self.message("msgTooLarge", { name: file.name, limit: formatSize(self.maxSize) }));
        return;
      }
      if (file.size === 0) {
        self.showError(self.message("msgEmpty", { name: file.name }));
        return;
      }
      if (count + 1 > self.maxFiles) {
        self.showError(self.message("msgTooMany", { count: self.maxFiles }));
        return;
      }
      if (total + file.size > self.maxTotal) {
        self.showError(self.message("msgTotal", { total: formatSize(total + file.size), limit: formatSize(self.maxTotal) }));
        return;
      }
      count += 1;
      total += file.size;
      self.upload(file);
    });
  };

  Uploader.prototype.renderItem = function (name, size) {
    var item = document.createElement("li");
    item.className = "upload-item d-flex align-items-center gap-2 py-1";
    item.dataset.uploadItem = "";
    item.dataset.size = String(size);
    var label = document.createElement("span");
    label.className = "upload-name text-break";
    label.textContent = name;
    var sizeLabel = document.createElement("span");
    sizeLabel.className = "small text-body-secondary text-nowrap";
    sizeLabel.textContent = "(" + formatSize(size) + ")";
    var progress = document.createElement("progress");
    progress.max = 100;
    progress.value = 0;
    progress.setAttribute("aria-label", name);
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "btn btn-link btn-sm ms-auto";
    remove.dataset.uploadRemove = "";
    remove.textContent = this.zone.dataset.msgRemove;
    item.append(label, sizeLabel, progress, remove);
    this.list.appendChild(item);
    return item;
  };

  Uploader.prototype.upload = function (file) {
    var self = this;
    var item = this.renderItem(file.name, file.size);
    var progress = item.querySelector("progress");
    var body = new FormData();
    body.append("file", file, file.name);
    var request = new XMLHttpRequest();
    item.request = request;
    this.pending += 1;
    request.open("POST", this.zone.dataset.stageUrl);
    request.setRequestHeader("X-CSRFToken", this.csrfToken());
    request.responseType = "json";
    request.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) progress.value = Math.round((100 * event.loaded) / event.total);
    });
    request.addEventListener("loadend", function () {
      self.pending -= 1;
      item.request = null;
      var data = request.response || {};
      if (request.status === 201 && data.id) {
        progress.value = 100;
        progress.remove();
        var hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = "staged";
        hidden.value = data.id;
        item.appendChild(hidden);
        item.querySelector("[data-upload-remove]").dataset.stagedId = data.id;
        item.dataset.uploaded = "";
        self.settle(false);
        return;
      }
      item.remove();
      if (request.status === 0 && item.aborted) {
        self.settle(false);
        return;
      }
      (data.errors || [self.message("msgFailed", { name: file.name })]).forEach(function (text) {
        self.showError(text);
      });
      self.settle(true);
    });
    request.send(body);
  };

  Uploader.prototype.remove = function (item, stagedId) {
    if (!item) return;
    if (item.request) {
      item.aborted = true;
      item.request.abort();
    }
    item.remove();
    if (stagedId) {
      var url = this.zone.dataset.discardUrl.replace("00000000-0000-0000-0000-000000000000", stagedId);
      var request = new XMLHttpRequest();
      request.open("POST", url);
      request.setRequestHeader("X-CSRFToken", this.csrfToken());
      request.send();
    }
  };

  window.CCC = window.CCC || {};
  window.CCC.timestampName = timestampName;

  document.querySelectorAll("[data-upload-zone]").forEach(function (zone) {
    zone.uploader = new Uploader(zone);
  });
})();
