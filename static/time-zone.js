// The sign-up form's time zone, from the browser's own. Without JavaScript
// the menu stays at UTC and can be changed by hand, there or in settings.
const select = document.querySelector('select[data-detect-zone]');
const zone = (() => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return '';
  }
})();
if (select && zone && select.value === 'UTC') {
  let option = Array.from(select.options).find((o) => o.value === zone);
  if (!option) {
    option = new Option(zone, zone);
    select.add(option, 0);
  }
  select.value = zone;
}
