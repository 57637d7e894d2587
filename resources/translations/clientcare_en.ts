<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>App</name>
    <message>
        <location filename="../../app/ui/app.py" line="41"/>
        <location filename="../../app/ui/app.py" line="89"/>
        <source>ClientCare</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/app.py" line="42"/>
        <source>Something unexpected went wrong. What you saved before is safe. Details were written to the log: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ClientCardDialog</name>
    <message>
        <location filename="../../app/ui/client_card.py" line="89"/>
        <source>New client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="96"/>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="97"/>
        <source>Family and dates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="98"/>
        <source>Purchases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="99"/>
        <source>Memberships</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="100"/>
        <source>Preferences and notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="101"/>
        <source>Contact history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="107"/>
        <source>Save (Ctrl+S)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="140"/>
        <location filename="../../app/ui/client_card.py" line="265"/>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="143"/>
        <source>First and last name, or the company</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="144"/>
        <source>Name *</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="148"/>
        <source>Loyalty card or patient number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="149"/>
        <source>Card number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="153"/>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="157"/>
        <source>E-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="161"/>
        <source>Comma-separated, e.g. VIP, kids</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="162"/>
        <source>Tags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="165"/>
        <source>not yet computed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="166"/>
        <source>Automatic (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="168"/>
        <source>Always %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="171"/>
        <source>A/B/C group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="177"/>
        <source>Came from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="180"/>
        <source>Type a name to pick the client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="182"/>
        <source>Referred by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="185"/>
        <source>Contact rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="192"/>
        <source>Preferred channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="194"/>
        <source>Any time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="210"/>
        <source>Best hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="220"/>
        <source>Days (none = any)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="221"/>
        <source>Do not contact this client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="225"/>
        <source>Agreed to marketing on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="229"/>
        <source>Consent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="241"/>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="242"/>
        <source>Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="243"/>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="256"/>
        <source>&lt;b&gt;Family&lt;/b&gt; — spouse, children, parents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="257"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="257"/>
        <source>Relation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="257"/>
        <location filename="../../app/ui/client_card.py" line="279"/>
        <location filename="../../app/ui/client_card.py" line="322"/>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="263"/>
        <source>&lt;b&gt;Personal dates&lt;/b&gt; — birthdays, name days, anniversaries of the client and the family</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="265"/>
        <source>Whose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="265"/>
        <location filename="../../app/ui/client_card.py" line="278"/>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="266"/>
        <source>Gift reminder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="278"/>
        <source>Item or service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="279"/>
        <source>Quantity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="279"/>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="295"/>
        <source>Plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="295"/>
        <source>Starts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="295"/>
        <source>Ends</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="295"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="296"/>
        <source>Frozen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="296"/>
        <source>Marks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="311"/>
        <source>Tastes, favourite products, what they expect from us, what to avoid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="314"/>
        <source>Preferences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="315"/>
        <source>Notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="321"/>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="321"/>
        <source>Channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="321"/>
        <source>Purpose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="321"/>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="322"/>
        <source>Tone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="334"/>
        <source>No contact logged yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="346"/>
        <source>Group %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="348"/>
        <source>client since %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="353"/>
        <source>12-month value %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="356"/>
        <source>do not contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="361"/>
        <source>the client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="384"/>
        <source>default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="385"/>
        <source>%1 days before</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/client_card.py" line="400"/>
        <source>%n purchase(s), total %1</source>
        <translation>
            <numerusform>%n purchase, total %1</numerusform>
            <numerusform>%n purchases, total %1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="410"/>
        <source>promo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="411"/>
        <source>discount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="494"/>
        <source>Remove purchase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="495"/>
        <source>Remove the purchase of %1 on %2? It is removed when you save the card.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="609"/>
        <source>Unsaved changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="610"/>
        <source>Discard the changes to this client?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="625"/>
        <source>%1 (in the Trash)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ClientTableModel</name>
    <message>
        <location filename="../../app/ui/client_model.py" line="104"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="104"/>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="105"/>
        <source>Group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="105"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="106"/>
        <source>Last purchase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="107"/>
        <source>12-month value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="108"/>
        <source>Next contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="108"/>
        <source>Tags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="142"/>
        <source>Do not contact</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ClientsPage</name>
    <message>
        <location filename="../../app/ui/clients_page.py" line="72"/>
        <source>Search by name, phone, e-mail or notes (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="74"/>
        <source>All groups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="76"/>
        <source>Group %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="78"/>
        <source>Any status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="83"/>
        <source>New client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="84"/>
        <source>New client (Ctrl+N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="85"/>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="86"/>
        <source>Move the selected clients to the Trash (Del)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="87"/>
        <source>Restore</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="88"/>
        <source>Trash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="90"/>
        <source>Show clients moved to the Trash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="179"/>
        <source>Any tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/clients_page.py" line="199"/>
        <source>%Ln client(s) in the Trash</source>
        <translation>
            <numerusform>%Ln client in the Trash</numerusform>
            <numerusform>%Ln clients in the Trash</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/clients_page.py" line="201"/>
        <source>%Ln client(s)</source>
        <translation>
            <numerusform>%Ln client</numerusform>
            <numerusform>%Ln clients</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="207"/>
        <source>The Trash is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="209"/>
        <source>No client matches the search and filters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="212"/>
        <source>No clients yet. Press Ctrl+N or “New client” to add the first one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/clients_page.py" line="287"/>
        <source>%Ln client(s) moved to the Trash.</source>
        <translation>
            <numerusform>%Ln client moved to the Trash.</numerusform>
            <numerusform>%Ln clients moved to the Trash.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../app/ui/labels.py" line="16"/>
        <source>Person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="16"/>
        <source>Company</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="21"/>
        <source>Any</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="22"/>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="22"/>
        <source>SMS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="22"/>
        <source>E-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="23"/>
        <source>In person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="23"/>
        <source>Messenger</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="24"/>
        <source>Letter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="32"/>
        <source>New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="32"/>
        <location filename="../../app/ui/labels.py" line="50"/>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="33"/>
        <source>At risk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="33"/>
        <source>Lapsed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="38"/>
        <source>Spouse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="38"/>
        <source>Partner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="39"/>
        <source>Child</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="39"/>
        <source>Parent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="40"/>
        <source>Sibling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="40"/>
        <source>Grandchild</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="41"/>
        <source>Other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="45"/>
        <source>Birthday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="45"/>
        <source>Name day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="46"/>
        <source>Anniversary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="46"/>
        <source>Other date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="50"/>
        <source>Frozen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="51"/>
        <source>Expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="51"/>
        <source>Renewed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="52"/>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="56"/>
        <source>Reached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="56"/>
        <source>No answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="57"/>
        <source>Left a message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="58"/>
        <source>Meeting booked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="59"/>
        <source>Complaint found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="59"/>
        <source>Declined</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="60"/>
        <source>Wrong number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="61"/>
        <source>Call back later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="67"/>
        <source>Positive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="67"/>
        <source>Neutral</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="68"/>
        <source>Negative</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="72"/>
        <source>Follow-up after purchase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="73"/>
        <source>Onboarding check-in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="73"/>
        <source>Renewal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="74"/>
        <source>Personal date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="74"/>
        <source>Gift reminder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="75"/>
        <source>Complaint call-back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="76"/>
        <source>Complaint review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="77"/>
        <source>Win-back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="77"/>
        <source>Keep in touch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="78"/>
        <source>Quarterly A/B/C review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="79"/>
        <source>Manual</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="37"/>
        <source>ClientCare — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="47"/>
        <source>This part of ClientCare arrives in a coming version. Your clients, purchases and dates are already kept for it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="50"/>
        <source>Clients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="51"/>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="51"/>
        <source>Today&apos;s calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="52"/>
        <source>Calendar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="53"/>
        <source>Complaints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="54"/>
        <source>Charts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="55"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="60"/>
        <source>%1 (Ctrl+%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="81"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="82"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="85"/>
        <source>&amp;Clients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="86"/>
        <source>&amp;New client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="90"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="91"/>
        <source>&amp;About ClientCare</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="99"/>
        <source>About ClientCare</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="100"/>
        <source>&lt;h3&gt;ClientCare %1&lt;/h3&gt;&lt;p&gt;Keep the clients you already have.&lt;/p&gt;&lt;p&gt;Database: %2&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MembershipDialog</name>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="134"/>
        <source>Membership</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="137"/>
        <source>Plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="139"/>
        <source>Starts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="140"/>
        <source>Ends</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="145"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="146"/>
        <source>from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="147"/>
        <source>until</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="148"/>
        <source>Frozen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="150"/>
        <source>Price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="152"/>
        <source>Bought on a promotion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="154"/>
        <source>Has a discount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="156"/>
        <source>Marks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="158"/>
        <source>Special conditions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="160"/>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <location filename="../../app/ui/messages.py" line="15"/>
        <source>Please enter a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="16"/>
        <source>This is too long (at most {maximum} characters).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="17"/>
        <source>“{value}” is not a valid phone number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="18"/>
        <source>“{value}” is not a valid e-mail address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="19"/>
        <source>Please enter an amount.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="20"/>
        <source>“{value}” is not an amount.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="21"/>
        <source>The amount cannot be negative.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="22"/>
        <source>Use at most two decimal places.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="23"/>
        <source>The amount is too large.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="24"/>
        <source>The quantity must be more than zero.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="25"/>
        <source>Please enter a date.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="26"/>
        <source>A purchase cannot be dated in the future.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="27"/>
        <source>This is not a valid date.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="28"/>
        <source>The year must be between 1900 and 2100.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="29"/>
        <source>The relative of this date was removed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="30"/>
        <source>Gift reminder days must be between 0 and 60.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="31"/>
        <source>Give both the start and the end of the hours.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="32"/>
        <source>The hours must start before they end.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="33"/>
        <source>Give the date the client gave consent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="34"/>
        <source>A client cannot refer themselves.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="35"/>
        <source>The referring client no longer exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="36"/>
        <source>The number “{value}” already belongs to another client.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="37"/>
        <source>Please enter the plan&apos;s name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="38"/>
        <source>The membership ends before it starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="39"/>
        <source>Give both the first and the last frozen day.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="40"/>
        <source>The freeze ends before it starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="41"/>
        <source>A frozen membership needs its frozen days.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="42"/>
        <source>This value has the wrong form.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="43"/>
        <source>The value must be at least {minimum}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="44"/>
        <source>The value must be at most {maximum}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="45"/>
        <source>This client no longer exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="46"/>
        <source>“{name}” was changed elsewhere since you opened it. Close the card and open it again to see the changes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="48"/>
        <source>“{path}” is a folder, not a database file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="49"/>
        <source>ClientCare may not read “{path}”. Check the file&apos;s permissions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="50"/>
        <source>The database “{path}” cannot be read or written: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="51"/>
        <source>“{path}” is not a ClientCare database. Nothing was changed in it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="52"/>
        <source>“{path}” is a database of another program. Nothing was changed in it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="54"/>
        <source>The database “{path}” is damaged and was not opened. Nothing was changed in it. Restore a backup or contact support. ({detail})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="57"/>
        <source>“{path}” was saved by a newer version of ClientCare. Please install the newer version to open it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="59"/>
        <source>The database “{path}” is in use by another program. Close it and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="61"/>
        <source>The database “{path}” cannot be written (read-only folder or file). Nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="63"/>
        <source>The folder “{path}” cannot be created: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="64"/>
        <source>The database “{path}” does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="65"/>
        <source>The database is busy in another program; your change was not saved. Please try again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="67"/>
        <source>The database cannot be written (read-only). Your change was not saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="69"/>
        <source>The disk is full; your change was not saved. Free some space and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="71"/>
        <source>The database reported an error; your change was not saved. ({detail})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="79"/>
        <source>Something went wrong ({code}).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Ops</name>
    <message>
        <location filename="../../app/ui/ops.py" line="98"/>
        <source>ClientCare</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PersonalDateDialog</name>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="223"/>
        <source>Personal date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="229"/>
        <source>Whose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="234"/>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="235"/>
        <source>Label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="247"/>
        <source>year unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="250"/>
        <source>Day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="251"/>
        <source>Month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="252"/>
        <source>Year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="255"/>
        <source>business default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="257"/>
        <source>Gift reminder, days before</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PurchaseDialog</name>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="90"/>
        <source>Purchase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="91"/>
        <source>Edit purchase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="94"/>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="95"/>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="99"/>
        <source>Item or service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="101"/>
        <source>Quantity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="104"/>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RelativeDialog</name>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="192"/>
        <source>Family member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="194"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="200"/>
        <source>Relation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="203"/>
        <source>Note (tastes, gift ideas)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../app/ui/settings_page.py" line="23"/>
        <source>The business</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="39"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="40"/>
        <source>Country (for phone numbers)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="41"/>
        <source>Currency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="44"/>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="47"/>
        <source>Phone numbers typed without a country code are read as numbers of this country.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="66"/>
        <source>A currency is a three-letter code such as PLN or EUR.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UndoBar</name>
    <message>
        <location filename="../../app/ui/clients_page.py" line="41"/>
        <source>Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="42"/>
        <source>Undo (Ctrl+Z)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="46"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
