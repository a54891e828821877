// The street map a visitor asked for on /meetings/map/?street=1 (only when MAP_TILES_URL
// is set): Leaflet, served from our own static files, over the operator's tiles. The
// numbered venues and the plain list below stay the same as on our own map.
(function () {
  "use strict";
  var holder = document.getElementById("street-map");
  var source = document.getElementById("street-map-data");
  if (!holder || !source || !window.L) { return; }
  var data = JSON.parse(source.textContent);
  var map = L.map(holder, { scrollWheelZoom: false });
  L.tileLayer(data.tiles, { attribution: data.attribution, maxZoom: 19 }).addTo(map);
  var points = [];
  var markers = [];
  if (data.place) {
    points.push([data.place.lat, data.place.lon]);
    L.circleMarker([data.place.lat, data.place.lon], { radius: 7, color: "#1b1b1b", weight: 3 })
      .bindTooltip(data.place.label).addTo(map);
  }
  data.markers.forEach(function (item, index) {
    points.push([item.lat, item.lon]);
    // Numbered as on our own map and in the list; a Leaflet marker is focusable and
    // answers Enter as a click. (A div, not Leaflet's image icon, whose path it guesses
    // from the CSS and which our hashed static names defeat.)
    var marker = L.marker([item.lat, item.lon], {
      keyboard: true,
      title: item.label,
      icon: L.divIcon({ className: "street-map__marker", html: String(index + 1),
                        iconSize: [26, 26] })
    }).on("click", function () { window.location.href = item.href; }).addTo(map);
    markers.push([marker, item.label]);
  });
  map.fitBounds(points, { padding: [30, 30], maxZoom: 15 });
  // A marker has its element only once the map has a view.
  markers.forEach(function (pair) { pair[0].getElement().setAttribute("aria-label", pair[1]); });
}());
