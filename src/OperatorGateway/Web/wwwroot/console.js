// The console's only script: the queue refreshes its rows by itself, and countdowns tick.
// The pages work without it (reload shows the same).
(function () {
    "use strict";

    function pad(n) { return n < 10 ? "0" + n : String(n); }

    function tick() {
        var now = Date.now();
        document.querySelectorAll(".countdown[data-due]").forEach(function (el) {
            var due = Number(el.getAttribute("data-due"));
            if (!due) { return; }
            var ms = due - now;
            var a = Math.floor(Math.abs(ms) / 1000);
            el.textContent = (ms < 0 ? "-" : "") + Math.floor(a / 3600) + ":" + pad(Math.floor(a / 60) % 60) + ":" + pad(a % 60);
        });
    }

    function poll(table) {
        var rows = document.getElementById("queue-rows");
        var every = Number(table.getAttribute("data-refresh")) || 5000;
        var url = window.location.pathname + (window.location.search ? window.location.search + "&" : "?") + "handler=Rows";
        setInterval(function () {
            fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
                .then(function (r) {
                    if (r.redirected || !r.ok) { return null; }
                    return r.text();
                })
                .then(function (html) {
                    if (html !== null && html.trim() !== rows.innerHTML.trim()) {
                        rows.innerHTML = html;
                        tick();
                    }
                })
                .catch(function () { /* the server is away; the next poll tries again */ });
        }, every);
    }

    document.addEventListener("DOMContentLoaded", function () {
        tick();
        setInterval(tick, 1000);
        var table = document.getElementById("queue");
        if (table) { poll(table); }
    });
})();
