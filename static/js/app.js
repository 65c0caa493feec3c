// Small progressive enhancements; every page works without this file.
;(function () {
  'use strict'

  // After a failed submit, put the keyboard and screen reader on the first field in error.
  function focusFirstError(root) {
    var field = root.querySelector('[aria-invalid="true"]')
    if (field && typeof field.focus === 'function') field.focus()
  }

  document.addEventListener('DOMContentLoaded', function () {
    focusFirstError(document)
  })
  document.addEventListener('htmx:after:swap', function (evt) {
    var target = evt.target instanceof Element ? evt.target : document
    focusFirstError(target.isConnected ? target : document)
  })

  // A presence heartbeat says only "here" or "typing" (the URL): htmx would also send the reply
  // form around the typing watcher, the draft included, every few seconds.
  document.addEventListener('htmx:config:request', function (evt) {
    var request = evt.detail && evt.detail.ctx && evt.detail.ctx.request
    if (!request || !/\/presence(\?|$)/.test(request.action) || !request.body) return
    Array.from(request.body.keys()).forEach(function (k) {
      request.body.delete(k)
    })
  })

  // Buttons that need a second thought (withdraw, close) carry data-confirm.
  document.addEventListener(
    'submit',
    function (evt) {
      var form = evt.target
      var submitter = evt.submitter
      var message =
        (submitter && submitter.getAttribute('data-confirm')) || form.getAttribute('data-confirm')
      if (message && !window.confirm(message)) evt.preventDefault()
    },
    true,
  )
})()
