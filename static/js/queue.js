// The queue's selection and keyboard: range and all-in-view selection with a count, and keys
// for moving, opening, selecting and assigning. The page works without this file.
;(function () {
  'use strict'

  var lastChecked = null

  function boxes() {
    return Array.prototype.slice.call(
      document.querySelectorAll('#queue-rows input[type="checkbox"][name="ticket"]'),
    )
  }

  function showCount() {
    var out = document.getElementById('queue-selected')
    var all = document.getElementById('queue-select-all')
    var list = boxes()
    var n = list.filter(function (b) {
      return b.checked
    }).length
    if (out)
      out.textContent = n ? (out.getAttribute('data-template') || '{n}').replace('{n}', n) : ''
    if (all) {
      all.hidden = list.length === 0
      all.checked = n > 0 && n === list.length
      all.indeterminate = n > 0 && n < list.length
    }
  }

  document.addEventListener('click', function (evt) {
    var box = evt.target
    if (!(box instanceof HTMLInputElement) || box.type !== 'checkbox') return
    if (box.id === 'queue-select-all') {
      boxes().forEach(function (b) {
        b.checked = box.checked
      })
      showCount()
      return
    }
    if (box.name !== 'ticket' || !box.closest('#queue-rows')) return
    var list = boxes()
    if (evt.shiftKey && lastChecked && list.indexOf(lastChecked) >= 0) {
      var a = list.indexOf(lastChecked)
      var b = list.indexOf(box)
      var lo = Math.min(a, b)
      var hi = Math.max(a, b)
      for (var i = lo; i <= hi; i++) list[i].checked = box.checked
    }
    lastChecked = box
    showCount()
  })

  // A refresh morphs the rows in place; the count follows what stays selected.
  document.addEventListener('htmx:after:swap', showCount)
  document.addEventListener('DOMContentLoaded', showCount)

  // Keyboard ------------------------------------------------------------------------------------

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll('#queue-rows tr.qrow'))
  }

  function current() {
    return document.querySelector('#queue-rows tr.qrow.qrow-focus')
  }

  function focusRow(row) {
    var old = current()
    if (old) old.classList.remove('qrow-focus')
    if (!row) return
    row.classList.add('qrow-focus')
    var link = row.querySelector('a.qrow-case')
    if (link) link.focus()
  }

  // Fields that take typing; a ticked checkbox or a button keeps the keys working.
  var NOT_TYPED = /^(checkbox|radio|button|submit|reset|image|file|color|range)$/

  function typing(el) {
    if (!el || !(el instanceof Element)) return false
    if (el.closest('dialog[open]') !== null) return true
    if (el.isContentEditable || /^(TEXTAREA|SELECT)$/.test(el.tagName)) return true
    return el.tagName === 'INPUT' && !NOT_TYPED.test(el.type)
  }

  // Enter opens the marked row only when nothing else would take it: on a link, button or
  // summary elsewhere (the bulk form's button, a sort heading) Enter keeps its own meaning.
  function enterIsOurs(el, row) {
    if (!(el instanceof Element) || el === document.body) return true
    if (row.contains(el)) return !el.matches('a, button, input')
    return !el.closest('a, button, summary, input, label')
  }

  function move(step) {
    var list = rows()
    if (!list.length) return
    var at = list.indexOf(current())
    var next = at < 0 ? 0 : Math.max(0, Math.min(list.length - 1, at + step))
    focusRow(list[next])
    list[next].scrollIntoView({ block: 'nearest' })
  }

  function say(message) {
    var out = document.getElementById('queue-key-status')
    if (out) out.textContent = message
  }

  function assignToMe(row) {
    var box = row.querySelector('input[name="ticket"]')
    var link = row.querySelector('a.qrow-case')
    if (!box || !link) return
    var form = document.getElementById('bulk')
    var me = form && form.getAttribute('data-me')
    if (!me) return
    var version = box.value.split(':')[1]
    var body = new URLSearchParams({ assignee: me, version: version })
    fetch(link.getAttribute('href') + '/actions/assign', {
      method: 'POST',
      body: body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      credentials: 'same-origin',
      redirect: 'manual',
    }).then(function (res) {
      var el = document.getElementById('queue-key-status')
      if (res.status === 409) say(el ? el.getAttribute('data-stale') : '')
      else if (res.ok || res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400)) {
        say(el ? el.getAttribute('data-assigned') : '')
        // The rows again now rather than at the next 30 s refresh: the new assignee, and the
        // versions the next action on these rows must carry.
        var poll = document.getElementById('queue-poll')
        if (poll && window.htmx) window.htmx.trigger(poll, 'every')
      } else say(el ? el.getAttribute('data-failed') : '')
    })
  }

  document.addEventListener('keydown', function (evt) {
    if (!document.getElementById('queue-table')) return
    if (evt.ctrlKey || evt.metaKey || evt.altKey || evt.defaultPrevented) return
    if (typing(evt.target)) return
    var row = current()
    var keys = document.getElementById('queue-keys')
    switch (evt.key) {
      case 'j':
        move(1)
        break
      case 'k':
        move(-1)
        break
      case 'Enter':
        if (!row || !enterIsOurs(evt.target, row)) return
        evt.preventDefault()
        window.location.assign(row.querySelector('a.qrow-case').getAttribute('href'))
        return
      case 'o':
        if (!row) return
        evt.preventDefault()
        window.location.assign(row.querySelector('a.qrow-case').getAttribute('href'))
        return
      case 'x':
        if (!row) return
        row.querySelector('input[name="ticket"]').click()
        break
      case 'a':
        if (!row) return
        assignToMe(row)
        break
      case 'r':
        if (!row) return
        window.location.assign(
          row.querySelector('a.qrow-case').getAttribute('href') + '#action-reply',
        )
        break
      case '/':
        var q = document.getElementById('q-input')
        if (!q) return
        var fold = document.getElementById('queue-fold')
        if (fold) fold.open = true
        q.focus()
        break
      case '?':
        if (keys && typeof keys.showModal === 'function') keys.showModal()
        break
      default:
        return
    }
    evt.preventDefault()
  })

  // `r` opens a ticket at #action-reply: open that action and put the cursor in its text.
  function openActionFromHash() {
    var m = /^#(action-[\w-]+)$/.exec(window.location.hash)
    var details = m && document.getElementById(m[1])
    if (!details || details.tagName !== 'DETAILS') return
    details.open = true
    var field =
      details.querySelector('textarea') ||
      details.querySelector('input:not([type="hidden"]), select')
    // After the browser has drawn the opened details (and scrolled to the fragment).
    if (field)
      window.requestAnimationFrame(function () {
        field.focus()
      })
  }
  document.addEventListener('DOMContentLoaded', openActionFromHash)
  window.addEventListener('hashchange', openActionFromHash)

  document.addEventListener('click', function (evt) {
    var t = evt.target
    if (t instanceof Element && t.closest('[data-close-dialog]')) {
      var d = t.closest('dialog')
      if (d) d.close()
    }
  })
})()
