/* What the phone reads for a form: its location, a code its camera sees, smaller photos.
 *
 * Geopoint: "حدد موقعي" asks navigator.geolocation and writes "lat lon altitude accuracy"
 * (ODK's order) into the field, which may also be typed. Barcode: where the browser has
 * BarcodeDetector, a button opens the back camera and fills the field with the first
 * code seen; elsewhere the field is typed. Image: a photo larger than data-resize pixels
 * on its longest side is drawn smaller on a canvas (JPEG) before the form sends it.
 * This file runs before files.js, so a field taking several photos keeps the smaller ones.
 */
(function () {
  "use strict";

  function changed(input) {
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function rounded(n, places) {
    var f = Math.pow(10, places);
    return Math.round(n * f) / f;
  }

  function locate(button) {
    var input = document.getElementById(button.getAttribute("data-locate"));
    var status = document.querySelector("[data-location-status='" + input.id + "']");
    if (!navigator.geolocation) { status.textContent = button.getAttribute("data-denied"); return; }
    status.textContent = button.getAttribute("data-locating");
    navigator.geolocation.getCurrentPosition(function (pos) {
      var c = pos.coords;
      input.value = [rounded(c.latitude, 7), rounded(c.longitude, 7),
        rounded(c.altitude || 0, 1), rounded(c.accuracy, 1)].join(" ");
      status.textContent = button.getAttribute("data-accuracy").replace("{m}", String(rounded(c.accuracy, 1)));
      changed(input);
    }, function () {
      status.textContent = button.getAttribute("data-denied");
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 0 });
  }

  function scan(button) {
    var input = document.getElementById(button.getAttribute("data-scan"));
    var video = document.querySelector("[data-scanner='" + input.id + "']");
    var label = button.textContent;
    if (video.srcObject) { stop(video, button, label); return; }
    var detector = new window.BarcodeDetector();
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      button.textContent = button.getAttribute("data-stop");
      button.rifdLabel = label;
      video.play();
      function look() {
        if (!video.srcObject) { return; }
        detector.detect(video).then(function (codes) {
          if (codes.length) {
            input.value = codes[0].rawValue;
            stop(video, button, label);
            changed(input);
          } else {
            window.setTimeout(look, 250);
          }
        }, function () { window.setTimeout(look, 500); });
      }
      look();
    }, function () { input.focus(); });
  }

  function stop(video, button, label) {
    video.srcObject.getTracks().forEach(function (track) { track.stop(); });
    video.srcObject = null;
    video.hidden = true;
    button.textContent = label;
  }

  function smaller(file, longest) {
    return new Promise(function (resolve) {
      if (!/^image\/(jpeg|png|webp)$/.test(file.type) || !window.createImageBitmap) { resolve(file); return; }
      createImageBitmap(file).then(function (bitmap) {
        var scale = longest / Math.max(bitmap.width, bitmap.height);
        if (scale >= 1) { resolve(file); return; }
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(bitmap.width * scale);
        canvas.height = Math.round(bitmap.height * scale);
        canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        canvas.toBlob(function (blob) {
          if (!blob) { resolve(file); return; }
          var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg", lastModified: file.lastModified }));
        }, "image/jpeg", 0.85);
      }, function () { resolve(file); });
    });
  }

  function resize(ev) {
    var input = ev.target;
    if (!input.matches || !input.matches("input[type=file][data-resize]") || input.rifdResizing) { return; }
    if (typeof DataTransfer === "undefined" || !input.files.length) { return; }
    // Hold the change back until the photos are smaller; then send it on (files.js listens).
    ev.stopImmediatePropagation();
    input.rifdResizing = true;
    var longest = Number(input.getAttribute("data-resize"));
    Promise.all(Array.prototype.map.call(input.files, function (f) { return smaller(f, longest); })).then(function (files) {
      var all = new DataTransfer();
      files.forEach(function (f) { all.items.add(f); });
      input.files = all.files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
      input.rifdResizing = false;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.rifd-form").forEach(function (form) {
      form.addEventListener("change", resize, true);
      form.addEventListener("click", function (ev) {
        var locateButton = ev.target.closest("[data-locate]");
        if (locateButton) { locate(locateButton); return; }
        var scanButton = ev.target.closest("[data-scan]");
        if (scanButton) { scan(scanButton); }
      });
    });
    if ("BarcodeDetector" in window && navigator.mediaDevices) {
      document.querySelectorAll("[data-scan]").forEach(function (b) { b.hidden = false; });
    }
  });
})();
