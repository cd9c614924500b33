// Material's header search finds "Weiß" typed as "Weiss" and "Élodie" as "Elodie": its index
// holds the folded forms of the words (generator/search/folding.py), and the reader's query is
// folded by the same rule on its way to Material's search worker, whose messages pass through
// Worker.prototype.postMessage. The rule: NFKD, the combining diacritics U+0300-U+036F
// dropped, LETTERS (kept equal to folding.py's by tests/test_search_folding.py), NFC.
(function () {
  var QUERY = 2; // Material's SearchMessageType.QUERY
  var LETTERS = {"ß": "ss", "ẞ": "SS", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "ı": "i", "ħ": "h", "Ħ": "H"};
  var PATTERN = new RegExp("[" + Object.keys(LETTERS).join("") + "]", "g");

  function fold(text) {
    return text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]+/g, "")
      .replace(PATTERN, function (letter) { return LETTERS[letter]; })
      .normalize("NFC");
  }

  if (typeof Worker === "undefined") return;
  var post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message) {
    var args = Array.prototype.slice.call(arguments);
    if (message && message.type === QUERY && typeof message.data === "string") {
      args[0] = { type: QUERY, data: fold(message.data) };
    }
    return post.apply(this, args);
  };
})();
