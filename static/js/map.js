/* A stored place on a map: Leaflet, served by Rifd itself (static/vendor/leaflet, BSD-2).
 *
 * No tile server is needed: the map shows the point, its accuracy circle and a scale
 * on a plain background, so a record opens the same with or without the internet.
 */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.L) { return; }
    document.querySelectorAll("[data-map]").forEach(function (box) {
      var at = [Number(box.getAttribute("data-lat")), Number(box.getAttribute("data-lon"))];
      var map = window.L.map(box, { attributionControl: false }).setView(at, 16);
      window.L.circleMarker(at, { radius: 7, weight: 2 }).addTo(map);
      var accuracy = Number(box.getAttribute("data-accuracy"));
      if (accuracy > 0) {
        var circle = window.L.circle(at, { radius: accuracy, weight: 1 }).addTo(map);
        map.fitBounds(circle.getBounds(), { maxZoom: 18 });
      }
      window.L.control.scale({ imperial: false }).addTo(map);
    });
  });
})();
