// Stripe card element for the own-share payment (loaded only on the payment page).
(function () {
  "use strict";
  function start() {
    var form = document.getElementById("payment-form");
    if (!form || typeof window.Stripe !== "function") { return; }
    var stripe = window.Stripe(form.dataset.publishableKey);
    var card = stripe.elements().create("card");
    card.mount("#card-element");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      stripe.confirmCardPayment(form.dataset.clientSecret, { payment_method: { card: card } })
        .then(function (result) {
          var message = document.getElementById("payment-message");
          if (result.error) { message.textContent = result.error.message || ""; return; }
          window.location.assign(form.dataset.returnUrl);
        });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
